import pytest

from egide.categories import Category, parse_category


def test_label_always_shows_scheme() -> None:
    assert Category("projectvic-us", "1").label == "Project VIC US 1"
    assert Category("dhs", "5").description == "Non-pertinent"
    assert Category("projectvic-us", "0").description == "Non-pertinent"


def test_parse_validates_scheme_and_code() -> None:
    assert parse_category(" UK-CAID ", "b") == Category("uk-caid", "B")
    with pytest.raises(ValueError, match="unknown category scheme"):
        parse_category("icse", "1")
    with pytest.raises(ValueError, match="not a code of scheme dhs"):
        parse_category("dhs", "6")
