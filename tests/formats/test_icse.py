import io

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from egide.banks import create_bank, import_entries, iter_entries
from egide.categories import Category
from egide.formats import ListEntry, get_format
from egide.store import session_maker
from tests.formats.vics_helpers import MD5, PHOTODNA_BYTES, SHA1, entries, errors, read

HEADER = (
    "MD5;SHA1;PhotoDNA;Image ID;Is distributed;Victim identified;Offender identified;"
    "Series name;Number of submissions;File Available;Media Type;Baseline\n"
)


def icse(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def write(items: list[ListEntry]) -> str:
    out = io.StringIO()
    get_format("icse").write(items, out)
    return out.getvalue()


def test_a_row_gives_one_entry_per_hash_with_image_id_and_flags() -> None:
    photodna = PHOTODNA_BYTES.hex()
    items = read(icse(f"{MD5};{SHA1};{photodna};IMG-1;true;false;;Blue;3;Yes;Image;true"), "icse")
    assert errors(items) == []
    got = entries(items)
    assert [(e.signal_type, e.value) for e in got] == [
        ("md5", MD5.lower()),
        ("sha1", SHA1.lower()),
        ("photodna", photodna),
    ]
    first = got[0]
    assert (first.media_id, first.series, first.baseline) == ("IMG-1", "Blue", True)
    assert (first.is_distributed, first.victim_identified, first.offender_identified) == (
        True,
        False,
        None,
    )
    assert first.category == Category("interpol-baseline", "1")
    assert first.extra == {
        "icse": {"Number of submissions": "3", "File Available": "Yes", "Media Type": "Image"}
    }


def test_bad_rows_are_reported_by_line() -> None:
    items = read(
        icse(
            f"{MD5};;;1;;;;;;;;false",
            f"zz;{SHA1};;2;;;;;;;;",
            ";;;3;;;;;;;;",
            f"{MD5};;;4;maybe;;;;;;;",
            f"{MD5};;;5;;;;;;;;;extra",
            f"{SHA1[:-2]}00;{SHA1};;6;1;0;yes;;;;;no",
        ),
        "icse",
    )
    assert [e.media_id for e in entries(items)] == ["1"]
    assert [e.position for e in errors(items)] == [f"line {n}" for n in range(3, 8)]
    assert "MD5" in errors(items)[0].message
    assert "no MD5" in errors(items)[1].message
    assert "Is distributed" in errors(items)[2].message


def test_missing_header_column() -> None:
    [error] = read(b"MD5;SHA1\nx;y\n", "icse")
    assert error.position == "line 1" and "Baseline" in error.message  # type: ignore[union-attr]


def test_round_trip_of_rows() -> None:
    data = icse(
        f"{MD5};{SHA1};;IMG-1;true;false;true;Blue;3;Yes;Image;true",
        f"{'1' * 32};;;IMG-2;;;;;;;;false",
        f"{'2' * 32};;;;;;;;;;;",
    )
    written = write(entries(read(data, "icse")))
    assert written == data.decode()


def test_several_hashes_of_a_kind_make_several_rows_and_sha256_is_not_written() -> None:
    items = [
        ListEntry("md5", "1" * 32, media_id="A"),
        ListEntry("md5", "2" * 32, media_id="A"),
        ListEntry("sha256", "3" * 64, media_id="A"),
    ]
    out = io.StringIO()
    assert get_format("icse").write(items, out) == 2
    assert out.getvalue().splitlines()[1:] == [
        f"{'1' * 32};;;A;;;;;;;;",
        f"{'2' * 32};;;A;;;;;;;;",
    ]


flags = st.one_of(st.none(), st.booleans())
words = st.text("abcXYZ 0-9", min_size=1, max_size=8).map(str.strip).filter(bool)


@st.composite
def rows(draw: st.DrawFn, image_id: str) -> list[ListEntry]:
    baseline = draw(flags)
    kept = draw(st.dictionaries(st.sampled_from(["Number of submissions", "Media Type"]), words))
    shared = {
        "category": None if baseline is None else Category("interpol-baseline", str(int(baseline))),
        "series": draw(st.one_of(st.none(), words)),
        "victim_identified": draw(flags),
        "baseline": baseline,
        "media_id": image_id,
        "offender_identified": draw(flags),
        "is_distributed": draw(flags),
        "extra": {"icse": kept} if kept else None,
    }
    hashes = draw(
        st.lists(st.sampled_from(["md5", "sha1", "photodna"]), min_size=1, max_size=3, unique=True)
    )
    size = {"md5": 16, "sha1": 20, "photodna": 144}
    order = ["md5", "sha1", "photodna"]
    return [
        ListEntry(s, draw(st.binary(min_size=size[s], max_size=size[s])).hex(), **shared)  # type: ignore[arg-type]
        for s in sorted(hashes, key=order.index)
    ]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_property_round_trip(data: st.DataObject) -> None:
    ids = data.draw(st.lists(words, max_size=6, unique=True))
    items = [e for image_id in ids for e in data.draw(rows(image_id))]
    assert entries(read(write(items).encode(), "icse")) == items


def test_bank_round_trip(engine: Engine) -> None:
    data = icse(f"{MD5};{SHA1};;IMG-1;true;false;true;Blue;3;Yes;Image;true")
    with session_maker(engine)() as session:
        bank = create_bank(session, "icse")
        import_entries(session, bank, get_format("icse").read(io.BytesIO(data)))
        assert write(list(iter_entries(session, bank))) == data.decode()
