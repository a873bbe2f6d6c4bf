import itertools

import pytest

from egide.categories import Category, map_category, mappings, parse_category, schemes


def test_rows_of_the_table_map_both_ways() -> None:
    assert map_category(Category("dhs", "5"), "projectvic-us") == Category("projectvic-us", "0")
    assert map_category(Category("projectvic-us", "0"), "dhs") == Category("dhs", "5")
    assert map_category(Category("dhs", "1"), " PROJECTVIC-US ") == Category("projectvic-us", "1")


def test_same_scheme_is_itself() -> None:
    assert map_category(Category("uk-caid", "A"), "uk-caid") == Category("uk-caid", "A")


@pytest.mark.parametrize(
    ("category", "scheme"),
    [
        (Category("dhs", "0"), "projectvic-us"),  # uncategorised has no US counterpart
        (Category("projectvic-us", "1"), "uk-caid"),
        (Category("uk-caid", "A"), "projectvic-us"),
        (Category("projectvic-us", "1"), "interpol-baseline"),  # baseline is stricter
        (Category("interpol-baseline", "1"), "projectvic-us"),
        (Category("vics-default", "1"), "projectvic-us"),  # profile code table not held
        (Category("nsrl", "KNOWN"), "projectvic-us"),
        (Category("projectvic-us", "1"), "no-such-scheme"),
    ],
)
def test_unmapped_pairs_give_none(category: Category, scheme: str) -> None:
    assert map_category(category, scheme) is None


def test_every_pair_outside_the_table_is_none() -> None:
    rows = {(m.source, m.target.scheme): m.target for m in mappings()}
    closed = [s for s in schemes().values() if not s.open]
    for scheme, target in itertools.product(closed, schemes()):
        for code in scheme.codes:
            category = Category(scheme.name, code)
            expected = category if scheme.name == target else rows.get((category, target))
            assert map_category(category, target) == expected


def test_every_row_has_a_basis_and_known_codes() -> None:
    for row in mappings():
        assert row.basis
        assert parse_category(row.source.scheme, row.source.code) == row.source
        assert parse_category(row.target.scheme, row.target.code) == row.target


def test_open_schemes_keep_codes_as_given_and_show_their_scheme() -> None:
    assert parse_category("vics-custom", " Grade x ") == Category("vics-custom", "Grade x")
    assert Category("vics-uk", "2").label == "VICS 2.0 UK profile 2"
    assert Category("interpol-baseline", "1").label == "Interpol ICSE baseline 1"
    with pytest.raises(ValueError, match="empty category code"):
        parse_category("vics-uk", " ")
