"""``python -m egide`` is the ``egide`` command."""

from egide.cli import main

main()
