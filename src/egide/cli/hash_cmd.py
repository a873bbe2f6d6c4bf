"""``egide hash PATH...``: one JSON line per file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from egide.hashing import HashOptions, hash_file
from egide.video import DEFAULT_FRAMES_PER_SECOND, write_frames


def hash_command(
    paths: Annotated[list[Path], typer.Argument(help="Files to hash (folders: use egide scan).")],
    dihedral: Annotated[
        bool, typer.Option(help="Also print the 8 rotation/mirror variants of the PDQ hash.")
    ] = False,
    max_image_pixels: Annotated[
        int, typer.Option(help="Decompression-bomb limit: larger images are not decoded.")
    ] = HashOptions().max_image_pixels,
    fps: Annotated[
        float, typer.Option(help="Videos: frames hashed per second of video.", min=0.001)
    ] = DEFAULT_FRAMES_PER_SECOND,
    every_frame: Annotated[
        bool, typer.Option(help="Videos: hash every frame, as the vPDQ reference tool does.")
    ] = False,
    vpdq_out: Annotated[
        Path | None,
        typer.Option(
            help="Also write each video's frame hashes in the vPDQ reference text format to "
            "DIR/<file name>.txt (frame_number,quality,pdq,timestamp)."
        ),
    ] = None,
) -> None:
    """Print md5, sha1, sha256 and, for images, PDQ of each file as JSON lines; videos also get
    their vPDQ frame hashes (1 frame per second unless told otherwise).

    Exit code 0 when every file was hashed, 1 when some could not be (their line has "error").
    """
    options = HashOptions(
        max_image_pixels=max_image_pixels,
        dihedral=dihedral,
        video_frames_per_second=None if every_frame else fps,
    )
    failed = False
    for path in paths:
        record = hash_file(path, options)
        failed |= record.error is not None
        sys.stdout.write(json.dumps(record.to_json_dict(), ensure_ascii=False) + "\n")
        if vpdq_out is not None and record.frames is not None:
            vpdq_out.mkdir(parents=True, exist_ok=True)
            with open(vpdq_out / f"{path.name}.txt", "w", encoding="ascii") as handle:
                write_frames(record.frames, handle)
    raise typer.Exit(1 if failed else 0)
