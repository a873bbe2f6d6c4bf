import io

import pytest
from sqlalchemy import Engine

from egide.banks import (
    BankError,
    create_bank,
    get_bank,
    import_entries,
    iter_entries,
    list_banks,
    remove_bank,
    summarise,
)
from egide.categories import Category
from egide.formats import ListEntry, RecordError, get_format
from egide.store import session_maker

PDQ_A = "a" * 64
MD5_A = "0" * 32


def test_create_list_show_remove(engine: Engine) -> None:
    with session_maker(engine)() as session:
        create_bank(session, "known", description="demo", source="unit test", pdq_threshold=20)
        session.commit()
        with pytest.raises(BankError, match="already exists"):
            create_bank(session, "known")
        with pytest.raises(BankError, match="threshold"):
            create_bank(session, "other", pdq_threshold=-1)
        with pytest.raises(BankError, match="banks: known"):
            get_bank(session, "missing")
        [summary] = list_banks(session)
        assert (summary.name, summary.pdq_threshold, summary.entries) == ("known", 20, 0)
        remove_bank(session, "known")
        session.commit()
        assert list_banks(session) == []


def test_import_is_idempotent_and_updates_metadata(engine: Engine) -> None:
    entries: list[ListEntry | RecordError] = [
        ListEntry("pdq", PDQ_A, Category("projectvic-us", "1"), "S"),
        ListEntry("md5", MD5_A),
        ListEntry("md5", MD5_A),
    ]
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        first = import_entries(session, bank, entries)
        assert (first.added, first.unchanged, first.error_count) == (2, 1, 0)
        again = import_entries(session, bank, entries[:2])
        assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
        changed = import_entries(session, bank, [ListEntry("pdq", PDQ_A, Category("dhs", "1"))])
        assert changed.updated == 1
        assert summarise(session, bank).entries_by_signal == {"md5": 1, "pdq": 1}
        stored = {e.value: e for e in iter_entries(session, bank)}
        assert stored[PDQ_A].category == Category("dhs", "1")
        assert stored[PDQ_A].series is None


def test_bad_records_are_reported_and_good_ones_kept(engine: Engine) -> None:
    items: list[ListEntry | RecordError] = [
        ListEntry("md5", MD5_A),
        RecordError("line 2", "broken"),
        ListEntry("pdq", PDQ_A),
    ]
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        result = import_entries(session, bank, items)
        assert (result.added, result.error_count, result.committed) == (2, 1, True)
        assert [str(e) for e in result.errors] == ["line 2: broken"]


def test_strict_import_keeps_everything_out(engine: Engine) -> None:
    items: list[ListEntry | RecordError] = [ListEntry("md5", MD5_A), RecordError("line 2", "x")]
    with session_maker(engine)() as session:
        bank = create_bank(session, "b")
        session.commit()
        result = import_entries(session, bank, items, strict=True)
        assert not result.committed and result.added == 0
        assert summarise(session, get_bank(session, "b")).entries == 0


def test_large_import_spans_batches_and_exports_round_trip(engine: Engine) -> None:
    lines = ["signal_type,value,category_scheme,category,series"]
    lines += [f"pdq,{i:064x},projectvic-us,1,s{i % 7}" for i in range(4500)]
    data = ("\n".join(lines) + "\n").encode()
    with session_maker(engine)() as session:
        bank = create_bank(session, "big")
        result = import_entries(session, bank, get_format("csv").read(io.BytesIO(data)))
        assert result.added == 4500
        out = io.StringIO()
        get_format("csv").write(iter_entries(session, bank), out)
    exported = out.getvalue().splitlines()
    assert exported[0].startswith("signal_type,value,category_scheme,category,series")
    assert [line.rsplit(",", 2)[0] for line in exported[1:]] == lines[1:]


def test_media_grouping_and_extra_metadata_survive(engine: Engine) -> None:
    entry = ListEntry(
        "md5",
        MD5_A,
        media_id="M-1",
        offender_identified=True,
        is_distributed=False,
        extra={"Exifs": [{"PropertyName": "Make", "PropertyValue": "Canon"}]},
    )
    with session_maker(engine)() as session:
        bank = create_bank(session, "vics")
        assert import_entries(session, bank, [entry]).added == 1
        assert list(iter_entries(session, bank)) == [entry]
        assert import_entries(session, bank, [entry]).unchanged == 1


def test_one_hash_from_two_sources_is_one_entry_with_two_sources(engine: Engine) -> None:
    from egide.banks import sources_of, withdraw_source

    with session_maker(engine)() as session:
        bank = create_bank(session, "national", source="national police")
        import_entries(session, bank, [ListEntry("md5", MD5_A), ListEntry("pdq", PDQ_A)])
        import_entries(session, bank, [ListEntry("md5", MD5_A)], source="icse")
        [md5_id] = [e.id for e in bank.entries if e.signal_type == "md5"]
        assert sources_of(session, md5_id) == ["icse", "national police"]
        assert summarise(session, bank).entries == 2
        # icse no longer lists the hash: its claim goes, the entry stays for the other source
        assert withdraw_source(session, bank, "icse", keep=set()) == 0
        session.commit()
        assert sources_of(session, md5_id) == ["national police"]
        # the last source withdraws: the entries go
        assert withdraw_source(session, bank, "national police", keep={("pdq", PDQ_A)}) == 1
        session.commit()
        assert [e.signal_type for e in iter_entries(session, bank)] == ["pdq"]


def test_bank_kind_is_validated(engine: Engine) -> None:
    with session_maker(engine)() as session:
        assert create_bank(session, "fp", kind="allow").kind == "allow"
        with pytest.raises(BankError, match="kind must be one of match, allow"):
            create_bank(session, "x", kind="deny")
