"""The demo case of ``make demo``: benign images, a demo bank, and a scan of an evidence folder."""

from egide.demo.build import DemoCase, build_demo, default_testdata
from egide.demo.run import DEMO_BANK, run_demo

__all__ = ["DEMO_BANK", "DemoCase", "build_demo", "default_testdata", "run_demo"]
