"""Running the demo: its own SQLite file, the demo bank, one scan, reports in the demo folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from egide.banks import create_bank, import_entries, remove_bank
from egide.banks.videos import add_video
from egide.demo.build import build_demo
from egide.scan import ScanOptions, ScanOutcome, ScanProgress, run_scan
from egide.store import Bank, open_engine, session_maker
from egide.video import read_frames

DEMO_BANK = "demo-known"


@dataclass(frozen=True)
class DemoRun:
    database_url: str
    outcome: ScanOutcome


def run_demo(root: Path, workers: int, progress: ScanProgress | None = None) -> DemoRun:
    """Build the demo case under ``root`` and scan its evidence folder against the demo bank."""
    root = root.resolve()
    case = build_demo(root)
    url = f"sqlite:///{root / 'egide.db'}"
    engine = open_engine(url)
    with session_maker(engine)() as session:
        if session.scalar(select(Bank.id).where(Bank.name == DEMO_BANK)) is not None:
            remove_bank(session, DEMO_BANK)
        bank = create_bank(
            session,
            DEMO_BANK,
            description="demo: benign public images standing in for known material",
            source="egide demo (scikit-image samples, PDQ reference test images)",
        )
        import_entries(session, bank, case.bank_entries)
        for known in case.known_videos:
            with open(known, encoding="ascii") as handle:
                add_video(
                    session,
                    bank,
                    read_frames(handle, str(known)),
                    source=bank.source,
                    media_id=known.stem,
                )
        session.commit()
    options = ScanOptions(
        roots=(str(case.evidence),),
        banks=(DEMO_BANK,),
        report_path=root / "report.json",
        html_path=root / "report.html",
        workers=workers,
        dihedral=True,
        index_cache=root / "index-cache",
    )
    outcome = run_scan(engine, options, progress)
    engine.dispose()
    return DemoRun(url, outcome)
