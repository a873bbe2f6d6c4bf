"""``egide hash PATH...``: one JSON line per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from egide.hashing import HashOptions, hash_file


def hash_command(
    paths: Annotated[list[Path], typer.Argument(help="Files to hash (folders: use egide scan).")],
    dihedral: Annotated[
        bool, typer.Option(help="Also print the 8 rotation/mirror variants of the PDQ hash.")
    ] = False,
    max_image_pixels: Annotated[
        int, typer.Option(help="Decompression-bomb limit: larger images are not decoded.")
    ] = HashOptions().max_image_pixels,
) -> None:
    """Print md5, sha1, sha256 and, for images, PDQ of each file as JSON lines.

    Exit code 0 when every file was hashed, 1 when some could not be (their line has "error").
    """
    options = HashOptions(max_image_pixels=max_image_pixels, dihedral=dihedral)
    failed = False
    for path in paths:
        record = hash_file(path, options)
        failed |= record.error is not None
        sys.stdout.write(json.dumps(record.to_json_dict(), ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)
