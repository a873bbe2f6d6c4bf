"""``egide bank add-video BANK FILE...``: known videos into a bank, from the video files
themselves or from frame hashes in the vPDQ reference text format (``.txt``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from egide.banks import BankError, get_bank
from egide.banks.videos import add_video
from egide.categories import Category, parse_category
from egide.cli.bank_cmd import bank_app
from egide.cli.context import DatabaseOption, console, engine_for, fail, user_errors
from egide.store import session_maker
from egide.video import (
    DEFAULT_FRAMES_PER_SECOND,
    FrameFormatError,
    FrameHash,
    VideoOptions,
    VideoRejected,
    hash_video,
    read_frames,
)


def _frames(path: Path, options: VideoOptions) -> tuple[list[FrameHash], float | None]:
    if path.suffix.lower() == ".txt":
        with open(path, encoding="ascii", errors="replace") as handle:
            return read_frames(handle, str(path)), None
    video = hash_video(path, options)
    return list(video.frames), video.info.duration


@bank_app.command("add-video")
@user_errors(BankError)
def add_video_command(
    name: str,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Video files, or .txt files of vPDQ frame hashes (reference format)."),
    ],
    category: Annotated[
        str | None, typer.Option(help="Category as scheme:code, e.g. projectvic-us:1.")
    ] = None,
    series: Annotated[str | None, typer.Option(help="Series name.")] = None,
    source: Annotated[
        str | None, typer.Option(help="Who supplied the videos (default: the bank's source).")
    ] = None,
    fps: Annotated[
        float, typer.Option(help="Frames hashed per second of video.", min=0.001)
    ] = DEFAULT_FRAMES_PER_SECOND,
    every_frame: Annotated[bool, typer.Option(help="Hash every frame.")] = False,
    db: DatabaseOption = None,
) -> None:
    """Add known videos (their frame hashes, never the video) to a bank.

    Each video becomes one ``vpdq`` entry whose frames are indexed for matching; the file name
    is kept as its media id. Exit code 1 when some files could not be read (the others are
    added).
    """
    chosen: Category | None = None
    if category:
        scheme, _, code = category.partition(":")
        try:
            chosen = parse_category(scheme, code)
        except ValueError as exc:
            raise fail(str(exc)) from None
    options = VideoOptions(frames_per_second=None if every_frame else fps)
    failed = 0
    with session_maker(engine_for(db))() as session:
        bank = get_bank(session, name)
        for path in paths:
            try:
                frames, duration = _frames(path, options)
            except (OSError, FrameFormatError, VideoRejected) as exc:
                console.print(f"[yellow]{path}: {exc}[/]", highlight=False)
                failed += 1
                continue
            if not frames:
                console.print(f"[yellow]{path}: no frame hashes[/]", highlight=False)
                failed += 1
                continue
            entry, created = add_video(
                session,
                bank,
                frames,
                source=source or bank.source or bank.name,
                media_id=path.name,
                category=chosen,
                series=series,
                duration=duration,
            )
            session.commit()
            state = "added" if created else "already known"
            console.print(f"{path}: {len(frames)} frames, entry {entry} {state}", highlight=False)
    if failed == len(paths):
        raise fail("no video added", 1)
    raise typer.Exit(1 if failed else 0)
