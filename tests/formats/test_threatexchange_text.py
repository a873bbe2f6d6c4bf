import io

from hypothesis import given
from hypothesis import strategies as st

from egide.formats import ListEntry, get_format
from tests.formats.vics_helpers import MD5, PDQ, SHA256, entries, errors, read


def test_reads_threatexchange_names_and_egide_names() -> None:
    text = f"pdq {PDQ}\nvideo_md5 {MD5}\n# comment\n\nSHA256 {SHA256}\n"
    items = read(text.encode(), "threatexchange")
    assert entries(items) == [
        ListEntry("pdq", PDQ),
        ListEntry("md5", MD5.lower(), extra={"threatexchange": {"signal_type": "video_md5"}}),
        ListEntry("sha256", SHA256),
    ]


def test_bad_lines_are_reported_by_number() -> None:
    text = f"pdq {PDQ}\nurl https://example.org\npdq abc\nlonely\n"
    items = read(text.encode(), "threatexchange")
    assert [e.position for e in errors(items)] == ["line 2", "line 3", "line 4"]
    assert "unknown signal type" in errors(items)[0].message


def test_round_trip_keeps_video_md5() -> None:
    text = f"pdq {PDQ}\nvideo_md5 {MD5.lower()}\nmd5 {'0' * 32}\n"
    out = io.StringIO()
    fmt = get_format("threatexchange")
    assert fmt.write(entries(read(text.encode(), "threatexchange")), out) == 3
    assert out.getvalue() == text


signals = st.one_of(
    st.tuples(st.sampled_from(["md5", "video_md5"]), st.binary(min_size=16, max_size=16)),
    st.tuples(st.sampled_from(["pdq", "sha256"]), st.binary(min_size=32, max_size=32)),
    st.tuples(st.just("photodna"), st.binary(min_size=144, max_size=144)),
)


@given(st.lists(signals, max_size=20))
def test_property_text_round_trip(pairs: list[tuple[str, bytes]]) -> None:
    text = "".join(f"{name} {raw.hex()}\n" for name, raw in pairs)
    fmt = get_format("threatexchange")
    out = io.StringIO()
    fmt.write(entries(read(text.encode(), "threatexchange")), out)
    assert out.getvalue() == text
