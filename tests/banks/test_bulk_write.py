"""The driver-level bank write (staged rows, set statements) against the ORM's own writing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from egide.banks import (
    create_bank,
    get_bank,
    import_entries,
    importing,
    iter_entries,
    sources_of,
    upsert,
)
from egide.categories import Category
from egide.formats import ListEntry, RecordError
from egide.store import BankEntry, session_maker

MD5S = [f"{i:032x}" for i in range(6)]


def _entries(extra: dict[str, object] | None = None) -> list[ListEntry]:
    return [
        ListEntry(
            "md5",
            value,
            Category("projectvic-us", str(i % 3)),
            "S" if i % 2 else None,
            victim_identified=bool(i % 2),
            media_id=str(i),
            is_distributed=None if i % 3 else False,
            extra=extra if extra is not None else ({"vics": {"MediaSize": i}} if i else None),
        )
        for i, value in enumerate(MD5S)
    ]


def test_rows_from_either_write_path_are_unchanged_for_the_other(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values staged through the driver are stored exactly as the ORM stores them."""
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        with monkeypatch.context() as patched:
            patched.setattr(upsert, "supported", lambda _session: False)
            assert import_entries(session, bank, _entries()).added == len(MD5S)
        again = import_entries(session, bank, _entries())
        assert (again.added, again.updated, again.unchanged) == (0, 0, len(MD5S))
        assert list(iter_entries(session, bank)) == _entries()
        other = create_bank(session, "c")
        assert import_entries(session, other, _entries()).added == len(MD5S)
        with monkeypatch.context() as patched:
            patched.setattr(upsert, "supported", lambda _session: False)
            back = import_entries(session, other, _entries())
        assert (back.added, back.updated, back.unchanged) == (0, 0, len(MD5S))


def test_a_changed_extra_is_an_update_and_new_sources_are_recorded(engine: Engine) -> None:
    with session_maker(engine)() as session:
        bank = create_bank(session, "b", source="first")
        import_entries(session, bank, _entries())
        changed = import_entries(session, bank, _entries({"vics": {"Comments": "x"}}), source="two")
        assert (changed.added, changed.updated, changed.unchanged) == (0, len(MD5S), 0)
        assert {e.extra["vics"]["Comments"] for e in iter_entries(session, bank)} == {"x"}  # type: ignore[index]
        ids = session.scalars(select(BankEntry.id).where(BankEntry.bank_id == bank.id)).all()
        assert all(sources_of(session, i) == ["first", "two"] for i in ids)


def test_later_duplicates_in_one_batch_win(engine: Engine) -> None:
    first = ListEntry("md5", MD5S[0], series="old")
    last = ListEntry("md5", MD5S[0], series="new")
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        result = import_entries(session, bank, [first, last])
        assert (result.added, result.unchanged) == (1, 1)
        assert [e.series for e in iter_entries(session, bank)] == ["new"]


def test_committed_work_survives_a_failure_later_in_the_list(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commits come every COMMIT_EVERY entries: what was committed stays when the list breaks."""
    monkeypatch.setattr(importing, "BATCH", 10)
    monkeypatch.setattr(importing, "COMMIT_EVERY", 20)

    def broken() -> Iterator[ListEntry | RecordError]:
        for i in range(45):
            yield ListEntry("md5", f"{i:032x}")
        raise OSError("the disk went away")

    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        session.commit()
        with pytest.raises(OSError):
            import_entries(session, bank, broken())
        session.rollback()
    with session_maker(engine)() as session:
        kept = session.scalar(select(func.count()).select_from(BankEntry))
        assert kept == 40
        assert get_bank(session, "b").revision >= 2


def test_strict_import_over_many_commits_worth_keeps_everything_out(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH", 10)
    monkeypatch.setattr(importing, "COMMIT_EVERY", 20)
    items: list[ListEntry | RecordError] = [ListEntry("md5", f"{i:032x}") for i in range(45)]
    items.append(RecordError("record 46", "broken"))
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        session.commit()
        result = import_entries(session, bank, items, strict=True)
        assert not result.committed
    with session_maker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(BankEntry)) == 0


def test_sqlite_cache_is_given_back_after_an_import(tmp_path: Path) -> None:
    from egide.store import open_engine

    engine = open_engine(f"sqlite:///{tmp_path}/cache.db")
    with engine.connect() as connection:
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        import_entries(session, bank, _entries())
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == before
    engine.dispose()
