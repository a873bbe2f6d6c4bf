"""The canonical reader: typed rows, and every bad row reported with its line and reason."""

from __future__ import annotations

import csv
from pathlib import Path

import hypothesis.strategies as st
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from egide.finance.rates import RateError, load_rates
from egide.finance.reader import read_transactions
from egide.finance.reader_types import ReaderError
from egide.finance.schema import COLUMNS
from tests.finance.rows import row, write_csv


def test_malformed_rows_are_reported_with_line_and_reason(tmp_path: Path) -> None:
    good = row(reference="school\nfees", txn_id="a")  # quoted newline: two physical lines
    rows = [
        good,
        row(amount="abc", txn_id="b"),
        row(ts="2026-03-04 14:00", currency="XXX", txn_id="c"),
        row(txn_id="a"),
        row(sender_country="Australia", channel="pigeon", txn_id="d"),
        row(amount="-5", sender_type="robot", txn_id="e"),
        row(txn_id="f"),
    ]
    path = write_csv(rows, tmp_path / "t.csv")
    with path.open("a", encoding="utf-8") as fh:
        fh.write("g,2026-03-04T14:00:00+10:00,s1\n")  # too few fields, line 10
    result = read_transactions(path)
    assert result.frame["txn_id"].to_list() == ["a", "f"]
    assert result.frame["line"].to_list() == [2, 9]
    assert result.rows_total == 8
    errors = {e.line: e.reason for e in result.errors}
    assert errors[4] == "amount is not a number: abc"
    assert "timestamp is not ISO 8601" in errors[5] and "currency not in" in errors[5]
    assert errors[6] == "duplicate txn_id: a"
    assert "sender_country is not an ISO 3166" in errors[7] and "unknown channel" in errors[7]
    assert "amount must be a positive" in errors[8] and "sender_type must be" in errors[8]
    assert errors[10] == "expected 16 columns, got 3"
    assert len(result.errors) == 6


def test_types_local_hour_and_conversion(tmp_path: Path) -> None:
    path = write_csv(
        [row(ts="2026-03-04T23:15:00+10:00", amount="2000", currency="php", txn_id="x")],
        tmp_path / "t.csv",
    )
    df = read_transactions(path).frame
    assert df["local_hour"].to_list() == [23]
    assert str(df["ts"][0]) == "2026-03-04 13:15:00+00:00"
    assert df["amount_base"][0] == pytest.approx(2000 * load_rates().rates["PHP"])
    assert df["currency"][0] == "PHP"


def test_missing_columns_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("txn_id,timestamp\n1,2\n")
    with pytest.raises(ReaderError, match="missing columns: sender_id"):
        read_transactions(path)
    with pytest.raises(ReaderError, match="no such file"):
        read_transactions(tmp_path / "nope.csv")


def test_parquet_reports_row_numbers(tmp_path: Path) -> None:
    rows = [row(txn_id="p1"), row(amount="x", txn_id="p2")]
    path = tmp_path / "t.parquet"
    pl.DataFrame(rows).write_parquet(path)
    result = read_transactions(path)
    assert result.frame["txn_id"].to_list() == ["p1"]
    assert [(e.line, e.reason) for e in result.errors] == [(2, "amount is not a number: x")]


def test_rate_table_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("base: EUR\nrates: {USD: 0.9}\n")
    table = load_rates(path)
    assert table.to_base(10, "usd") == pytest.approx(9.0) and table.to_base(1, "EUR") == 1.0
    assert table.to_base(1, "PHP") is None
    path.write_text("base: EUR\nrates: {USD: -1}\n")
    with pytest.raises(RateError, match="USD"):
        load_rates(path)


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
    max_size=30,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(
        st.tuples(
            TEXT,
            TEXT,
            st.decimals(min_value="0.01", max_value="1000000", places=2),
            st.integers(0, 23),
            st.sampled_from(["+10:00", "-05:30", "+00:00", "Z"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_csv_round_trip(tmp_path: Path, data: list[tuple[str, str, object, int, str]]) -> None:
    """Whatever valid rows are written come back unchanged, in order, none rejected."""
    rows = [
        row(
            txn_id=f"id{k}",
            sender_name=name.strip(),
            reference=ref.strip(),
            amount=str(amount),
            ts=f"2026-05-06T{hour:02d}:30:00{off}",
        )
        for k, (name, ref, amount, hour, off) in enumerate(data)
    ]
    path = write_csv(rows, tmp_path / "rt.csv")
    result = read_transactions(path)
    assert result.errors == []
    df = result.frame
    assert df["txn_id"].to_list() == [r["txn_id"] for r in rows]
    assert df["sender_name"].to_list() == [r["sender_name"] for r in rows]
    assert df["reference"].to_list() == [r["reference"] for r in rows]
    assert df["amount"].to_list() == [float(r["amount"]) for r in rows]
    assert df["local_hour"].to_list() == [d[3] for d in data]
    with path.open(newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(rows)
    assert list(COLUMNS) == list(df.columns[: len(COLUMNS)])


def test_timestamp_forms(tmp_path: Path) -> None:
    stamps = {
        "2026-03-04T23:15:00Z": 23,
        "2026-03-04T23:15:00.250-05:00": 23,
        "2026-03-04T06:15+08:00": 6,
        "2026-03-04T23:15:00+1000": 23,
        "2026-3-4T23:15:00+10:00": None,
        "2026-03-04T23:15:00": None,
        "2026-03-04T23:15:00+10:00xyz": None,
    }
    rows = [row(ts=ts, txn_id=f"k{n}") for n, ts in enumerate(stamps)]
    result = read_transactions(write_csv(rows, tmp_path / "t.csv"))
    assert result.frame["local_hour"].to_list() == [h for h in stamps.values() if h is not None]
    assert [e.line for e in result.errors] == [6, 7, 8]
    assert all("timestamp is not ISO 8601" in e.reason for e in result.errors)
