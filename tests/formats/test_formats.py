import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egide.categories import Category
from egide.formats import FormatError, ListEntry, RecordError, get_format

MD5_EMPTY = "d41d8cd98f00b204e9800998ecf8427e"
SHA1_EMPTY = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def read(name: str, text: str) -> list[ListEntry | RecordError]:
    return list(get_format(name).read(io.BytesIO(text.encode())))


def test_md5sum_gnu_bsd_and_types_by_length() -> None:
    text = (
        f"{MD5_EMPTY.upper()}  empty.txt\n"
        f"{SHA1_EMPTY} *bin/empty\n"
        f"SHA256 (x y.jpg) = {SHA256_EMPTY}\n"
        "# comment\n\n"
        "not a line\n"
        "abcd  short.txt\n"
    )
    items = read("md5sum", text)
    assert items[:3] == [
        ListEntry("md5", MD5_EMPTY),
        ListEntry("sha1", SHA1_EMPTY),
        ListEntry("sha256", SHA256_EMPTY),
    ]
    errors = [i for i in items if isinstance(i, RecordError)]
    assert [e.position for e in errors] == ["line 6", "line 7"]
    assert "neither md5" in errors[1].message


def test_hashdeep_columns_and_errors() -> None:
    text = (
        "%%%% HASHDEEP-1.0\n"
        "%%%% size,md5,sha256,filename\n"
        "## Invoked from: /case\n"
        f"0,{MD5_EMPTY},{SHA256_EMPTY},/case/a,b.txt\n"
        "0,zz,{SHA256_EMPTY},/case/c\n"
        "12,onlytwo\n"
    )
    items = read("hashdeep", text)
    assert items[0] == ListEntry("md5", MD5_EMPTY)
    assert items[1] == ListEntry("sha256", SHA256_EMPTY)
    errors = [str(i) for i in items if isinstance(i, RecordError)]
    assert errors[0].startswith("line 5, column md5")
    assert errors[-1].startswith("line 6: expected 4 fields")


def test_hashdeep_data_before_header_is_an_error() -> None:
    items = read("hashdeep", f"0,{MD5_EMPTY},x\n")
    assert isinstance(items[0], RecordError) and "before" in items[0].message


def test_csv_reads_categories_and_flags_and_names_bad_rows() -> None:
    text = (
        "signal_type,value,category_scheme,category,series,victim_identified,baseline\n"
        f"md5,{MD5_EMPTY},projectvic-us,1,S1,true,no\n"
        f"pdq,{'f' * 64},uk-caid,a,,,\n"
        f"pdq,{'f' * 63},,,,,\n"
        f"md5,{MD5_EMPTY},projectvic-us,9,,,\n"
        f"md5,{MD5_EMPTY},nonsense,1,,,\n"
        f"md5,{MD5_EMPTY},,1,,,\n"
        f"sha1,{SHA1_EMPTY},,,,maybe,\n"
    )
    items = read("csv", text)
    assert items[0] == ListEntry(
        "md5", MD5_EMPTY, Category("projectvic-us", "1"), "S1", True, False
    )
    assert items[1] == ListEntry("pdq", "f" * 64, Category("uk-caid", "A"))
    errors = [i for i in items if isinstance(i, RecordError)]
    assert [e.position for e in errors] == ["line 4", "line 5", "line 6", "line 7", "line 8"]
    assert "64 hex" in errors[0].message
    assert "not a code of scheme projectvic-us" in errors[1].message
    assert "unknown category scheme" in errors[2].message
    assert "together" in errors[3].message
    assert "victim_identified" in errors[4].message


def test_csv_missing_header_columns() -> None:
    items = read("csv", "value,signal_type\nx,y\n")
    assert len(items) == 1 and isinstance(items[0], RecordError)
    assert "category_scheme" in items[0].message


def test_unknown_format_and_write_only_where_supported() -> None:
    with pytest.raises(FormatError, match="known: csv"):
        get_format("nope")
    with pytest.raises(FormatError, match="not written"):
        get_format("md5sum").write([], io.StringIO())


categories = st.one_of(
    st.none(),
    st.sampled_from(
        [Category("projectvic-us", c) for c in "01234"]
        + [Category("dhs", c) for c in "012345"]
        + [Category("uk-caid", c) for c in "ABC"]
    ),
)
entries = st.builds(
    ListEntry,
    signal_type=st.just("pdq"),
    value=st.binary(min_size=32, max_size=32).map(bytes.hex),
    category=categories,
    series=st.one_of(
        st.none(),
        st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20)
        .map(str.strip)
        .filter(bool),
    ),
    victim_identified=st.one_of(st.none(), st.booleans()),
    baseline=st.one_of(st.none(), st.booleans()),
)


@given(st.lists(entries, max_size=20))
def test_csv_round_trip(items: list[ListEntry]) -> None:
    out = io.StringIO()
    fmt = get_format("csv")
    assert fmt.write(items, out) == len(items)
    assert list(fmt.read(io.BytesIO(out.getvalue().encode()))) == items
