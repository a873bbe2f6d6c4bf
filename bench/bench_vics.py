"""Benchmark: import of a generated VICS v2.0 file through egide's streaming reader versus a
``json.load``-based import of the same file (json.load, then the same entries, the same import).

Each contender runs in its own subprocess, so its peak memory (VmHWM) is its own. Three modes:
``raw`` (the JSON parse alone: records counted), ``parse`` (entries built and counted, no
database) and ``import`` (into a SQLite bank), which together show where the time goes.

In ``import`` mode there are two json.load baselines, both printed with their ratio:
``json.load`` writes through egide's own bank write (``import_entries``, the ON CONFLICT upsert),
so the ratio isolates the reader; ``json.load+orm`` is the straightforward import: the document
in memory, then ORM objects added batch by batch after a select of the keys already there (the
same idempotence and provenance, written the way an ORM user writes it), committed as often as
egide commits. Each line also gives the process's CPU time, steadier than wall time on a
machine shared with other work; ``--contenders egide`` runs egide alone (e.g. at 5 M records).

    .venv/bin/python bench/bench_vics.py                 # 5,000,000 records (a ~1.6 GB file)
    .venv/bin/python bench/bench_vics.py --records 200000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media"


CONTENDERS = ("egide", "json.load", "json.load+orm")


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM from /proc/self/status)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def generate(path: Path, records: int, seed: int = 1) -> None:
    """A VICS v2.0 US #Media file: MD5 for every record, SHA1 for half, flags in both spellings."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"@odata.context":"' + CONTEXT + '","value":[\n')
        for i in range(records):
            md5 = rng.getrandbits(128).to_bytes(16, "big").hex().upper()
            sha1 = rng.getrandbits(160).to_bytes(20, "big").hex().upper() if i % 2 else None
            parts = [
                f'"MediaID":{i + 1}',
                f'"Category":{rng.randrange(5)}',
                f'"MD5":"{md5}"',
            ]
            if sha1:
                parts.append(f'"SHA1":"{sha1}"')
            flag = rng.random() < 0.5
            parts.append(f'"IsDistributed":{"true" if flag else chr(34) + "false" + chr(34)}')
            parts.append(f'"VictimIdentified":{"false" if i % 3 else chr(34) + "true" + chr(34)}')
            if i % 7 == 0:
                parts.append(f'"Series":"series-{i % 1000}"')
            parts.append(f'"MediaSize":{rng.randrange(1_000, 5_000_000)}')
            parts.append('"DateUpdated":"2026-11-01T10:00:00.0000Z","IsPrecategorized":"false"')
            out.write(("," if i else "") + "{" + ",".join(parts) + "}\n")
        out.write("]}\n")


def egide_items(path: Path) -> Iterator[object]:
    from egide.formats import get_format

    with path.open("rb") as source:
        yield from get_format("vics").read(source)


def json_load_items(path: Path) -> Iterator[object]:
    """The json.load contender: the whole document in memory, then the same entry building."""
    from egide.formats import RecordError
    from egide.formats.vics import category_scheme
    from egide.formats.vics_context import parse_context
    from egide.formats.vics_record import record_entries

    with path.open("rb") as source:
        document = json.load(source)
    scheme = category_scheme(parse_context(document["@odata.context"]))
    for number, record in enumerate(document["value"], start=1):
        try:
            yield from record_entries(record, scheme)
        except ValueError as exc:
            yield RecordError(f"record {number}", str(exc))


def orm_import(items: Iterable[object], db: Path) -> dict[str, object]:
    """The straightforward ORM write: per batch, select the keys already in the bank, add new
    ``BankEntry`` and ``EntrySource`` objects, update changed ones; commit as often as egide
    does (``COMMIT_EVERY`` entries), so the ratio is the write method, not the commit rate."""
    from itertools import islice

    from sqlalchemy import select

    from egide.banks import create_bank
    from egide.banks.importing import COMMIT_EVERY
    from egide.formats import ListEntry
    from egide.store import BankEntry, EntrySource, open_engine, session_maker

    engine = open_engine(f"sqlite:///{db}")
    added = errors = pending = 0
    with session_maker(engine)() as session:
        bank = create_bank(session, "bench")
        session.commit()
        iterator = iter(items)
        while chunk := list(islice(iterator, 2000)):
            entries = {}
            for item in chunk:
                if isinstance(item, ListEntry):
                    entries[(item.signal_type, item.value)] = item
                else:
                    errors += 1
            existing = {}
            new: list[BankEntry] = []
            for signal in {k[0] for k in entries}:
                values = [k[1] for k in entries if k[0] == signal]
                for start in range(0, len(values), 500):
                    for row in session.scalars(
                        select(BankEntry).where(
                            BankEntry.bank_id == bank.id,
                            BankEntry.signal_type == signal,
                            BankEntry.value.in_(values[start : start + 500]),
                        )
                    ):
                        existing[(row.signal_type, row.value)] = row
            for key, entry in entries.items():
                fields = {
                    "category_scheme": entry.category.scheme if entry.category else None,
                    "category_code": entry.category.code if entry.category else None,
                    "series": entry.series,
                    "victim_identified": entry.victim_identified,
                    "baseline": entry.baseline,
                    "media_id": entry.media_id,
                    "offender_identified": entry.offender_identified,
                    "is_distributed": entry.is_distributed,
                    "extra": entry.extra,
                }
                known = existing.get(key)
                if known is None:
                    new.append(
                        BankEntry(bank_id=bank.id, signal_type=key[0], value=key[1], **fields)
                    )
                else:
                    for name, value in fields.items():
                        setattr(known, name, value)
            session.add_all(new)
            session.flush()  # the new rows' ids, for their sources
            session.add_all(EntrySource(entry_id=row.id, source="bench") for row in new)
            added += len(new)
            pending += len(chunk)
            if pending >= COMMIT_EVERY:
                bank.revision += 1
                session.commit()
                pending = 0
        bank.revision += 1
        session.commit()
    engine.dispose()
    return {"entries": added, "errors": errors}


def raw_records(name: str, path: Path) -> int:
    """The JSON layer alone: records parsed and counted, no entries built."""
    import ijson  # type: ignore[import-untyped]

    with path.open("rb") as source:
        if name == "egide":
            return sum(1 for _ in ijson.items(source, "value.item", use_float=True))
        return len(json.load(source)["value"])


def run_contender(name: str, mode: str, path: Path, db: Path | None) -> dict[str, object]:
    from egide.formats import ListEntry, RecordError

    start = time.perf_counter()
    cpu_start = time.process_time()
    if mode == "raw":
        result: dict[str, object] = {"entries": raw_records(name, path), "errors": 0}
        result["seconds"] = time.perf_counter() - start
        result["cpu_seconds"] = time.process_time() - cpu_start
        result["peak_mb"] = peak_mb()
        return result
    items: Iterable[object] = egide_items(path) if name == "egide" else json_load_items(path)
    if mode == "import" and name == "json.load+orm":
        assert db is not None
        result = orm_import(items, db)
    elif mode == "parse":
        entries = errors = 0
        for item in items:
            if isinstance(item, ListEntry):
                entries += 1
            elif isinstance(item, RecordError):
                errors += 1
        result = {"entries": entries, "errors": errors}
    else:
        from egide.banks import create_bank, import_entries
        from egide.store import open_engine, session_maker

        assert db is not None
        engine = open_engine(f"sqlite:///{db}")
        with session_maker(engine)() as session:
            bank = create_bank(session, "bench")
            session.commit()
            outcome = import_entries(session, bank, items)  # type: ignore[arg-type]
        engine.dispose()
        result = {"entries": outcome.added, "errors": outcome.error_count}
    result["seconds"] = time.perf_counter() - start
    result["cpu_seconds"] = time.process_time() - cpu_start
    result["peak_mb"] = peak_mb()
    return result


def measure(name: str, mode: str, path: Path, workdir: Path) -> dict[str, object]:
    db = workdir / f"{name}-{mode}.db"
    if db.exists():
        db.unlink()
    # Dirty pages left by the generator or the previous contender would otherwise be written
    # out during this contender's first fsync (a commit), and charged to it.
    os.sync()
    command = [sys.executable, __file__, "--contender", name, "--mode", mode, "--file", str(path)]
    command += ["--db", str(db)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} {mode} failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    if db.exists():
        db.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--workdir", type=Path, help="folder for the file and databases")
    parser.add_argument("--skip-import", action="store_true", help="raw and parse runs only")
    parser.add_argument(
        "--contenders",
        default=",".join(CONTENDERS),
        help="comma-separated subset to run (egide always runs); default: all",
    )
    parser.add_argument("--contender", choices=list(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=["raw", "parse", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.contender:
        print(json.dumps(run_contender(args.contender, args.mode, args.file, args.db)))
        return
    unknown = set(args.contenders.split(",")) - set(CONTENDERS)
    if unknown:
        parser.error(f"unknown contender(s) {', '.join(sorted(unknown))}; known: {CONTENDERS}")
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        workdir = Path(folder)
        path = workdir / "vics.json"
        start = time.perf_counter()
        generate(path, args.records)
        size = path.stat().st_size / 2**20
        print(
            f"generated {args.records:,} records, {size:,.0f} MB, "
            f"in {time.perf_counter() - start:.1f} s"
        )
        modes = ["raw", "parse"] if args.skip_import else ["raw", "parse", "import"]
        for mode in modes:
            chosen = {"egide", *args.contenders.split(",")}
            names = [
                n for n in CONTENDERS if n in chosen and (mode == "import" or n != CONTENDERS[2])
            ]
            results = {name: measure(name, mode, path, workdir) for name in names}
            ours = results["egide"]
            for name, r in results.items():
                assert r["entries"] == ours["entries"], (name, r, ours)
                unit = "records" if mode == "raw" else "entries"
                print(
                    f"{mode:6} {name:13} {r['seconds']:8.1f} s (cpu {r['cpu_seconds']:7.1f} s)  "
                    f"peak {r['peak_mb']:6.0f} MB  "
                    f"{r['entries']:,} {unit}, {r['errors']} errors"
                )
            for name in names[1:]:
                ratio = float(results[name]["seconds"]) / float(ours["seconds"])  # type: ignore[arg-type]
                cpu = float(results[name]["cpu_seconds"]) / float(ours["cpu_seconds"])  # type: ignore[arg-type]
                print(f"{mode:6} speed-up egide vs {name}: {ratio:.2f}x (cpu time {cpu:.2f}x)")
            print(f"{mode:6} egide peak {ours['peak_mb']:.0f} MB (target < 500 MB)")
        os.sync()


if __name__ == "__main__":
    main()
