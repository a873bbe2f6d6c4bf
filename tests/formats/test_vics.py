import base64
from pathlib import Path

import pytest

from egide.categories import Category
from egide.formats import ListEntry
from tests.formats.vics_helpers import (
    MD5,
    PDQ,
    PHOTODNA_BYTES,
    SHA1,
    SHA256,
    entries,
    errors,
    read,
    vics,
    vics_v1,
)


def test_shared_sample_reads_every_hash_with_its_media_id(testdata: Path) -> None:
    data = (testdata / "vics" / "example-VIC-data.json").read_bytes()
    items = read(data)
    assert errors(items) == []
    got = [(e.signal_type, e.value, e.media_id, e.category) for e in entries(items)]
    default0 = Category("vics-default", "0")
    assert got == [
        ("md5", "adebf3fa3c9be7f73825e1cb9e2dea09", "1", default0),
        ("md5", MD5.lower(), "2", default0),
        ("sha1", SHA1.lower(), "2", default0),
    ]
    exifs = entries(items)[1].extra["vics"]["Exifs"]  # type: ignore[index]
    assert exifs[0]["PropertyValue"] == "Adobe Fireworks CS4"


def test_profiles_choose_the_category_scheme() -> None:
    record = {"MediaID": 7, "MD5": MD5, "Category": 1}
    assert entries(read(vics([record], "US")))[0].category == Category("projectvic-us", "1")
    assert entries(read(vics([record], "UK")))[0].category == Category("vics-uk", "1")
    assert entries(read(vics([record], "CUSTOM")))[0].category == Category("vics-custom", "1")
    assert entries(read(vics_v1([record])))[0].category == Category("dhs", "1")
    [error] = read(vics([record], "FR"))
    assert "unknown VICS 2.0 profile" in str(error)


def test_flags_as_json_booleans_or_strings_and_series() -> None:
    records = [
        {
            "MediaID": 1,
            "MD5": MD5,
            "VictimIdentified": True,
            "OffenderIdentified": "false",
            "IsDistributed": "TRUE",
            "Series": "Blue",
        },
        {
            "MediaID": 2,
            "SHA1": SHA1,
            "VictimIdentified": "true",
            "OffenderIdentified": False,
            "IsDistributed": None,
            "Series": 42,
        },
    ]
    first, second = entries(read(vics(records)))
    assert (first.victim_identified, first.offender_identified, first.is_distributed) == (
        True,
        False,
        True,
    )
    assert (second.victim_identified, second.offender_identified, second.is_distributed) == (
        True,
        False,
        None,
    )
    assert (first.series, second.series) == ("Blue", "42")


def test_alternative_hashes_known_types_become_entries_unknown_are_kept() -> None:
    photodna = base64.b64encode(PHOTODNA_BYTES).decode()
    unknown = {"MD5": MD5, "HashName": "F1", "HashValue": "opaque"}
    record = {
        "MediaID": 3,
        "MD5": MD5,
        "AlternativeHashes": [
            {"MD5": MD5, "HashName": "PhotoDNA", "HashValue": photodna},
            {"MD5": MD5, "HashName": "SHA256", "HashValue": SHA256.upper()},
            {"MD5": MD5, "HashName": "PDQ", "HashValue": PDQ},
            unknown,
        ],
    }
    got = entries(read(vics([record])))
    assert [(e.signal_type, e.value) for e in got] == [
        ("md5", MD5.lower()),
        ("photodna", PHOTODNA_BYTES.hex()),
        ("sha256", SHA256),
        ("pdq", PDQ),
    ]
    assert got[0].extra == {"vics": {"AlternativeHashes": [unknown]}}
    assert got[1].extra["vics_alternative"]["HashName"] == "PhotoDNA"  # type: ignore[index]


def test_top_level_photodna_hex_or_base64() -> None:
    records = [
        {"MediaID": 1, "PhotoDNA": PHOTODNA_BYTES.hex().upper()},
        {"MediaID": 2, "PhotoDNA": base64.b64encode(PHOTODNA_BYTES[::-1]).decode()},
    ]
    got = entries(read(vics(records)))
    assert [e.value for e in got] == [PHOTODNA_BYTES.hex(), PHOTODNA_BYTES[::-1].hex()]


def test_bad_records_are_reported_by_index_and_the_good_go_on() -> None:
    records: list[object] = [
        {"MediaID": 1, "MD5": MD5},
        {"MediaID": 2, "MD5": "zz", "SHA1": SHA1},
        {"MediaID": 3, "MD5": MD5, "Category": 9},
        {"MediaID": 4, "MD5": MD5, "VictimIdentified": "maybe"},
        "not a record",
        {"MediaID": 6, "MediaSize": 3},
        {"MediaID": 7, "SHA1": SHA1, "Category": "2"},
    ]
    items = read(vics(records))
    assert [e.media_id for e in entries(items)] == ["1", "7"]
    assert [e.position for e in errors(items)] == [
        "record 2 (MediaID 2)",
        "record 3 (MediaID 3)",
        "record 4 (MediaID 4)",
        "record 5",
        "record 6 (MediaID 6)",
    ]
    messages = [e.message for e in errors(items)]
    assert "32 hex" in messages[0]
    assert "not a code of scheme projectvic-us" in messages[1]
    assert "VictimIdentified" in messages[2]
    assert "object" in messages[3]
    assert "no MD5" in messages[4]


def test_broken_json_stops_with_the_last_good_record_named() -> None:
    data = vics([{"MediaID": 1, "MD5": MD5}, {"MediaID": 2, "SHA1": SHA1}])[:-20]
    items = read(data)
    assert [e.media_id for e in entries(items)] == ["1"]
    [error] = errors(items)
    assert error.position == "after record 1" and "malformed JSON" in error.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"value": []}', "no VICS context"),
        (b'{"@odata.context": "http://example.org/x#Media", "value": []}', "not a VICS context"),
        (vics([], kind="Victims"), "reads #Media and #Cases"),
    ],
)
def test_files_that_are_not_vics(data: bytes, message: str) -> None:
    [error] = read(data)
    assert error.position == "file" and message in error.message  # type: ignore[union-attr]


def test_cases_stream_media_with_case_fields_and_positions() -> None:
    cases = [
        {
            "CaseID": 10,
            "CaseNumber": "2026-1",
            "SourceApplicationName": "tool",
            "Media": [{"MediaID": 1, "MD5": MD5, "Category": 1}, {"MediaID": 2, "MD5": "bad"}],
        },
        {"CaseID": 11, "Media": [5, {"MediaID": 3, "SHA1": SHA1, "IsDistributed": "false"}]},
    ]
    items = read(vics(cases, "US", "Cases"))
    got = entries(items)
    assert [(e.media_id, e.signal_type) for e in got] == [("1", "md5"), ("3", "sha1")]
    assert got[0].extra == {
        "vics_case": {"CaseID": 10, "CaseNumber": "2026-1", "SourceApplicationName": "tool"}
    }
    assert got[1].extra == {"vics_case": {"CaseID": 11}} and got[1].is_distributed is False
    assert [e.position for e in errors(items)] == [
        "case 1, media 2 (MediaID 2)",
        "case 2, media 1",
    ]


def test_v1_cases_use_the_dhs_scheme() -> None:
    cases = [{"CaseID": 1, "Media": [{"MediaID": 1, "MD5": MD5, "Category": 5}]}]
    [entry] = read(vics_v1(cases, "Cases"))
    assert isinstance(entry, ListEntry) and entry.category == Category("dhs", "5")


def test_every_record_of_a_large_file_is_read() -> None:
    records = [{"MediaID": i, "MD5": f"{i:032x}", "IsDistributed": "true"} for i in range(5000)]
    got = entries(read(vics(records)))
    assert len(got) == 5000 and got[-1].value == f"{4999:032x}"


def test_a_byte_order_mark_and_escaped_slashes_are_accepted() -> None:
    data = vics([{"MediaID": 1, "MD5": MD5, "Category": 3}]).replace(b"/", b"\\/")
    [entry] = read(b"\xef\xbb\xbf" + data)
    assert isinstance(entry, ListEntry) and entry.category == Category("projectvic-us", "3")
