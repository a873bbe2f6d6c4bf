"""The fast paths of VICS record building give exactly what the plain rules give."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egide.categories import Category
from egide.formats.vics_record import parse_bool, record_entries
from egide.signals import get

_hexish = st.text(alphabet="0123456789abcdefABCDEFgG \t\n", min_size=0, max_size=44)


@given(_hexish, st.sampled_from(["MD5", "SHA1"]))
def test_top_level_hashes_match_signal_normalise(raw: str, field: str) -> None:
    signal = get(field.lower())
    try:
        expected: str | None = signal.normalise(raw)
    except ValueError as exc:
        expected, message = None, str(exc)
    record = {"MediaID": 1, field: raw, "MD5" if field == "SHA1" else "SHA1": None}
    if raw == "":
        with pytest.raises(ValueError, match="no MD5, SHA1"):
            record_entries(record, "projectvic-us")
    elif expected is None:
        with pytest.raises(ValueError) as caught:
            record_entries(record, "projectvic-us")
        assert str(caught.value) == message
    else:
        [entry] = record_entries(record, "projectvic-us")
        assert (entry.signal_type, entry.value) == (signal.name, expected)


@given(st.one_of(st.none(), st.booleans(), st.sampled_from([" TRUE", "false ", "yes", 1, 0.0])))
def test_flags_follow_parse_bool(value: object) -> None:
    record = {"MD5": "a" * 32, "IsDistributed": value, "VictimIdentified": value}
    try:
        expected = parse_bool(value, "VictimIdentified")
    except ValueError as exc:
        with pytest.raises(ValueError) as caught:
            record_entries(record, "projectvic-us")
        assert str(caught.value) == str(exc)
        return
    [entry] = record_entries(record, "projectvic-us")
    assert entry.is_distributed == entry.victim_identified == expected


@pytest.mark.parametrize("category", [2, "2 ", 2.0])
def test_whole_number_categories_of_any_json_type(category: object) -> None:
    [entry] = record_entries({"MD5": "a" * 32, "Category": category}, "projectvic-us")
    assert entry.category == Category("projectvic-us", "2")


def test_a_boolean_category_is_refused_not_read_as_a_number() -> None:
    with pytest.raises(ValueError, match="Category must be a number, got True"):
        record_entries({"MD5": "a" * 32, "Category": True}, "projectvic-us")


def test_hashes_of_one_record_share_one_extra_unless_an_alternative_is_kept() -> None:
    record = {
        "MD5": "a" * 32,
        "SHA1": "b" * 40,
        "MediaSize": 10,
        "AlternativeHashes": [{"HashName": "MD5", "HashValue": "c" * 32, "Note": "x"}],
    }
    md5, sha1, alternative = record_entries(record, "projectvic-us")
    assert md5.extra is sha1.extra and md5.extra == {"vics": {"MediaSize": 10}}
    assert alternative.extra == {
        "vics": {"MediaSize": 10},
        "vics_alternative": {"HashName": "MD5", "HashValue": "c" * 32, "Note": "x"},
    }


def test_the_reader_streams_with_the_c_backend_of_ijson() -> None:
    """The pure-Python backend would read a large list several times slower, silently."""
    import ijson  # type: ignore[import-untyped]

    assert ijson.backend == "yajl2_c"
