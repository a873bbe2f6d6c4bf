import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from egide.banks import create_bank, import_entries, iter_entries
from egide.categories import Category
from egide.formats import ListEntry, get_format
from egide.store import session_maker
from tests.formats.vics_helpers import MD5, PHOTODNA_BYTES, SHA1, entries, read, vics


def write(items: list[ListEntry], **kwargs: str) -> str:
    out = io.StringIO()
    fmt = get_format("vics")
    assert fmt.write(items, out) == len(items)
    return out.getvalue()


def test_shared_sample_round_trips_to_the_same_json(testdata: Path) -> None:
    data = (testdata / "vics" / "example-VIC-data.json").read_bytes()
    assert json.loads(write(entries(read(data)))) == json.loads(data)


def test_records_group_hashes_by_media_id_and_keep_everything() -> None:
    records = [
        {
            "MediaID": 1,
            "Category": 2,
            "MD5": MD5,
            "SHA1": SHA1,
            "Series": "S",
            "VictimIdentified": True,
            "OffenderIdentified": False,
            "IsDistributed": True,
            "MediaSize": 10,
            "Comments": "c",
            "Tags": ["x"],
            "MediaFiles": [{"MD5": MD5, "FileName": "a.jpg", "FilePath": "/x", "Deleted": False}],
            "AlternativeHashes": [
                {"MD5": MD5, "HashName": "SHA256", "HashValue": "ab" * 32},
                {"MD5": MD5, "HashName": "NetClean", "HashValue": "opaque"},
            ],
        },
        {"MediaID": "abc-7", "PhotoDNA": "AAEC" + "A" * 188},
    ]
    original = vics(records)
    written = write(entries(read(original)))
    assert json.loads(written)["@odata.context"].endswith("/US/$metadata#Media")
    [first, second] = json.loads(written)["value"]
    assert first["MD5"] == MD5 and first["SHA1"] == SHA1 and first["Category"] == 2
    assert {h["HashName"] for h in first["AlternativeHashes"]} == {"SHA256", "NetClean"}
    assert first["MediaFiles"] == records[0]["MediaFiles"]  # type: ignore[index]
    assert second["MediaID"] == "abc-7" and len(second["PhotoDNA"]) == 192
    assert entries(read(written.encode())) == entries(read(original))


def test_foreign_categories_map_through_the_table_or_travel_as_annotation() -> None:
    items = [
        ListEntry("md5", MD5.lower(), Category("projectvic-us", "0"), media_id="1"),
        ListEntry("md5", "0" * 32, Category("dhs", "1"), media_id="2"),
        ListEntry("md5", "1" * 32, Category("uk-caid", "A"), media_id="3", baseline=True),
    ]
    records = json.loads(write(items))["value"]
    assert records[1]["Category"] == 1
    assert "Category" not in records[2]
    assert records[2]["Category@egide.category"] == "uk-caid:A"
    back = entries(read(json.dumps(json.loads(write(items))).encode()))
    assert back[1].category == Category("projectvic-us", "1")
    assert back[2].category == Category("uk-caid", "A") and back[2].baseline is True


def test_entries_without_media_id_are_one_record_each() -> None:
    items = [ListEntry("md5", MD5.lower()), ListEntry("sha1", SHA1.lower())]
    assert len(json.loads(write(items))["value"]) == 2
    assert entries(read(write(items).encode())) == items


signals = st.one_of(
    st.tuples(st.just("md5"), st.binary(min_size=16, max_size=16).map(bytes.hex)),
    st.tuples(st.just("sha1"), st.binary(min_size=20, max_size=20).map(bytes.hex)),
    st.tuples(st.just("sha256"), st.binary(min_size=32, max_size=32).map(bytes.hex)),
    st.tuples(st.just("pdq"), st.binary(min_size=32, max_size=32).map(bytes.hex)),
    st.tuples(st.just("photodna"), st.binary(min_size=144, max_size=144).map(bytes.hex)),
)
flags = st.one_of(st.none(), st.booleans())
texts = (
    st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
categories = st.one_of(
    st.none(),
    st.sampled_from([Category("projectvic-us", c) for c in "01234"]),
    st.sampled_from([Category("uk-caid", "B"), Category("dhs", "0"), Category("nsrl", "KNOWN")]),
    st.sampled_from([Category("vics-default", "0"), Category("vics-uk", "7")]),
)
extras = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"vics": st.fixed_dictionaries({"MediaSize": st.integers(0, 10**9), "Comments": texts})}
    ),
)


@st.composite
def media_items(draw: st.DrawFn, media_id: str) -> list[ListEntry]:
    """The entries of one media item: shared metadata, distinct hashes."""
    hashes = draw(st.lists(signals, min_size=1, max_size=4, unique=True))
    shared = {
        "category": draw(categories),
        "series": draw(st.one_of(st.none(), texts)),
        "victim_identified": draw(flags),
        "baseline": draw(flags),
        "media_id": media_id,
        "offender_identified": draw(flags),
        "is_distributed": draw(flags),
        "extra": draw(extras),
    }
    return [ListEntry(signal, value, **shared) for signal, value in hashes]  # type: ignore[arg-type]


@st.composite
def banks(draw: st.DrawFn) -> list[ListEntry]:
    ids = draw(st.lists(st.integers(0, 10**6).map(str) | texts, max_size=8, unique=True))
    items = [entry for media_id in ids for entry in draw(media_items(media_id))]
    return items


def _key(entry: ListEntry) -> tuple[str, str, str]:
    return (entry.media_id or "", entry.signal_type, entry.value)


@settings(max_examples=60, deadline=None)
@given(banks())
def test_property_import_then_export_gives_the_same_entries(items: list[ListEntry]) -> None:
    """Every field survives; within a media item, top-level hashes are read before alternatives."""
    written = write(items)
    back = entries(read(written.encode()))
    assert sorted(back, key=_key) == sorted(items, key=_key)
    assert json.loads(write(back)) == json.loads(written)


def test_bank_import_then_export_gives_the_same_records(engine: Engine, testdata: Path) -> None:
    records = [
        {
            "MediaID": 1,
            "Category": 1,
            "MD5": MD5,
            "SHA1": SHA1,
            "IsDistributed": "true",
            "Exifs": [{"MD5": MD5, "PropertyName": "Make", "PropertyValue": "Cam"}],
        },
        {"MediaID": 2, "Category": 0, "PhotoDNA": PHOTODNA_BYTES.hex(), "Series": "S"},
    ]
    fmt = get_format("vics")
    with session_maker(engine)() as session:
        bank = create_bank(session, "vics")
        result = import_entries(session, bank, fmt.read(io.BytesIO(vics(records))))
        assert (result.added, result.error_count) == (3, 0)
        again = import_entries(session, bank, fmt.read(io.BytesIO(vics(records))))
        assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
        out = io.StringIO()
        fmt.write(iter_entries(session, bank), out)
    exported = json.loads(out.getvalue())["value"]
    records[0]["IsDistributed"] = True
    records[1]["PhotoDNA"] = json.loads(write(entries(read(vics([records[1]])))))["value"][0][
        "PhotoDNA"
    ]
    assert exported == records


def test_strict_import_of_a_file_with_a_bad_record_imports_nothing(engine: Engine) -> None:
    data = vics([{"MediaID": 1, "MD5": MD5}, {"MediaID": 2, "MD5": "bad"}])
    with session_maker(engine)() as session:
        bank = create_bank(session, "strict")
        result = import_entries(
            session, bank, get_format("vics").read(io.BytesIO(data)), strict=True
        )
        assert not result.committed and result.error_count == 1
        assert list(iter_entries(session, bank)) == []
