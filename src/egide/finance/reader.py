"""Read the canonical transaction table (CSV or Parquet) into a typed frame plus per-row errors.

Nothing is dropped silently: every row that cannot be scored comes back as a ``RowError`` with
its line (CSV, header = line 1) or row number (Parquet, first row = 1) and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from egide.finance.csv_fast import count_bytes, read_complete_csv
from egide.finance.rates import RateTable, load_rates
from egide.finance.reader_types import ReaderError, RowError
from egide.finance.schema import CHANNELS, COLUMNS, LABEL_COLUMNS, PARTY_TYPES, REQUIRED_NON_EMPTY

TIMESTAMP_RE = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
COUNTRY_RE = r"^[A-Z]{2}$"


@dataclass
class ReadResult:
    """Valid rows (typed, with ``line``, ``ts``, ``local_hour``, ``amount_base``) and errors."""

    frame: pl.DataFrame
    errors: list[RowError] = field(default_factory=list)
    rows_total: int = 0


FORMATS = ("auto", "csv", "parquet", "iso20022", "amlworld", "saml-d")


def read_transactions(path: Path, rates: RateTable | None = None, fmt: str = "auto") -> ReadResult:
    """Read transactions into the canonical frame.

    ``fmt``: ``auto`` (by suffix: .parquet, .xml for ISO 20022, else canonical CSV), or one of
    ``csv``, ``parquet``, ``iso20022``, ``amlworld``, ``saml-d``.
    """
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    table_rates = rates or load_rates()
    if fmt == "auto":
        suffix = path.suffix.lower()
        fmt = {".parquet": "parquet", ".pq": "parquet", ".xml": "iso20022"}.get(suffix, "csv")
    if fmt == "parquet":
        raw, errors, lines = _read_parquet(path)
    elif fmt == "csv":
        raw, errors, lines = _read_csv(path)
    elif fmt in ADAPTERS:
        raw, errors, lines = _from_rows(*ADAPTERS[fmt](path))
    else:
        raise ReaderError(f"{path}: unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    return validate(raw, lines, errors, table_rates, str(path))


def _iso(path: Path) -> tuple[list[dict[str, str]], list[RowError]]:
    from egide.finance.iso20022 import Iso20022Error, read_iso20022

    try:
        return read_iso20022(path), []
    except Iso20022Error as exc:
        raise ReaderError(str(exc)) from None


def _amlworld(path: Path) -> tuple[list[dict[str, str]], list[RowError]]:
    from egide.finance.public_sets import read_amlworld

    return read_amlworld(path)


def _samld(path: Path) -> tuple[list[dict[str, str]], list[RowError]]:
    from egide.finance.public_sets import read_samld

    return read_samld(path)


Adapter = Callable[[Path], tuple[list[dict[str, str]], list[RowError]]]
ADAPTERS: dict[str, Adapter] = {"iso20022": _iso, "amlworld": _amlworld, "saml-d": _samld}


def _from_rows(
    rows: list[dict[str, str]], errors: list[RowError]
) -> tuple[pl.DataFrame, list[RowError], np.ndarray]:
    columns = list(COLUMNS) + [c for c in LABEL_COLUMNS if rows and c in rows[0]]
    raw = pl.DataFrame(
        {c: [r.get(c, "") for r in rows] for c in columns},
        schema=dict.fromkeys(columns, pl.String),
    )
    lines = np.array([int(r.get("_line", 0)) for r in rows], dtype=np.int64)
    return raw, errors, lines


def _read_csv(path: Path) -> tuple[pl.DataFrame, list[RowError], np.ndarray]:
    header = _csv_header(path)
    fast = read_complete_csv(path)
    if fast is not None:
        complete, data_newlines = fast
        _require_columns(complete, str(path))
        return complete, [], _record_lines(complete, [], data_newlines)[0]
    bad: list[tuple[int | None, str]] = []

    def handler(row: pacsv.InvalidRow) -> str:
        bad.append(
            (row.number, f"expected {row.expected_columns} columns, got {row.actual_columns}")
        )
        return "skip"

    def read(threads: bool) -> pa.Table:
        bad.clear()
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=threads),
            parse_options=pacsv.ParseOptions(
                invalid_row_handler=handler, ignore_empty_lines=False, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header}, strings_can_be_null=False
            ),
        )

    try:
        table = read(threads=True)
        if bad:
            table = read(threads=False)  # single-threaded reading knows the bad rows' lines
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReaderError(f"{path}: not a readable CSV file: {exc}") from None
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    _require_columns(frame, str(path))
    (newlines,) = count_bytes(path, b"\n")
    lines, skipped_lines = _record_lines(frame, sorted(n for n, _ in bad if n), newlines - 1)
    errors = [RowError(skipped_lines.get(n, 0) if n else 0, reason) for n, reason in bad]
    return frame, errors, lines


def _csv_header(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8-sig", newline="") as fh:
        first = fh.readline().rstrip("\r\n")
    if not first:
        raise ReaderError(f"{path}: empty file (expected a header line)")
    return [c.strip().strip('"') for c in first.split(",")]


def _record_lines(
    frame: pl.DataFrame, skipped: list[int], data_newlines: int
) -> tuple[np.ndarray, dict[int, int]]:
    """Physical start line of each valid record and of each skipped record.

    Arrow numbers records (header = 1); quoted newlines inside earlier records push lines down.
    When the file has no more line breaks than records, no value can hold one and the columns
    are not searched.
    """
    n = frame.height
    total = n + len(skipped)
    extra = np.zeros(total + 2, dtype=np.int64)  # indexed by record number
    skip = np.zeros(total + 2, dtype=bool)
    skip[np.asarray(skipped, dtype=np.int64)] = True
    records = np.nonzero(~skip[2:])[0][:n] + 2
    searched = (
        [c for c, t in frame.schema.items() if t == pl.String] if data_newlines > total else []
    )
    for col in searched:
        if frame[col].str.contains("\n", literal=True).any():
            extra[records] += frame[col].str.count_matches("\n", literal=True).to_numpy()
    before = np.concatenate(([0], np.cumsum(extra)[:-1]))
    physical = np.arange(total + 2, dtype=np.int64) + before
    return physical[records], {r: int(physical[r]) for r in skipped}


def _read_parquet(path: Path) -> tuple[pl.DataFrame, list[RowError], np.ndarray]:
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ReaderError(f"{path}: not a readable Parquet file: {exc}") from None
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    _require_columns(frame, str(path))
    frame = frame.with_columns([pl.col(c).cast(pl.String).fill_null("") for c in frame.columns])
    return frame, [], np.arange(1, frame.height + 1, dtype=np.int64)


def _require_columns(frame: pl.DataFrame, where: str) -> None:
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ReaderError(f"{where}: missing columns: {', '.join(missing)}")


# Codes and numbers are trimmed; ids, names and references are used as written. Codes are
# also put in one case: the function is applied to each distinct value, not to every row.
CODES: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "sender_country": lambda e: e,
    "sender_type": lambda e: e.str.to_lowercase(),
    "receiver_country": lambda e: e,
    "receiver_type": lambda e: e.str.to_lowercase(),
    "currency": lambda e: e.str.to_uppercase(),
    "channel": lambda e: e.str.to_lowercase(),
    "mcc": lambda e: e,
}
STRIPPED = ("timestamp", "amount")
TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


def validate(
    raw: pl.DataFrame,
    lines: np.ndarray,
    errors: list[RowError],
    rates: RateTable,
    where: str = "input",
) -> ReadResult:
    """Type and check every row; rows with problems become errors, the rest are returned.

    The common case is kept cheap: codes are normalised per distinct value, timestamps are
    parsed by Arrow when every one is well formed (else row by row with polars), and reason
    strings are only built for rows that failed a check.
    """
    skipped = len(errors)  # rows the parser could not even split into fields
    cols = list(COLUMNS) + [c for c in LABEL_COLUMNS if c in raw.columns]
    # a timestamp of the documented shape has no surrounding blanks: trim only otherwise
    well_formed = bool(raw.height) and bool(raw["timestamp"].str.contains(TIMESTAMP_RE).all())
    stripped = [c for c in STRIPPED if not (c == "timestamp" and well_formed)]
    df = raw.select(
        [pl.col(c).str.strip_chars() if c in stripped else pl.col(c) for c in cols]
    ).with_columns(pl.Series("line", lines, dtype=pl.Int64))
    df = _normalise_codes(df)
    df = df.with_columns(
        pl.col("amount").cast(pl.Float64, strict=False).alias("_amount"),
        pl.col("currency")
        .replace_strict(rates.rates, default=None, return_dtype=pl.Float64)
        .alias("rate"),
        _parse_timestamps(df["timestamp"], well_formed).alias("ts"),
    )
    # sorted 64-bit hashes show cheaply whether any id repeats; the exact test runs only then
    hashes = df["txn_id"].hash().sort()
    repeats = (hashes.slice(1) == hashes.slice(0, max(hashes.len() - 1, 0))).any()
    dup = df["txn_id"].is_duplicated() if repeats else None
    df = df.with_columns(
        (
            dup & (pl.col("txn_id") != "") & (pl.col("line") != pl.col("line").min().over("txn_id"))
            if dup is not None and dup.any()
            else pl.lit(False)
        ).alias("_dup")
    )
    checks = _checks()
    bad = pl.any_horizontal([cond for cond, _ in checks]).fill_null(True)
    df = df.with_columns(bad.alias("_bad"))
    failed = df.filter("_bad")
    if failed.height:
        reasons = pl.concat_list(
            [
                pl.when(cond).then(msg).otherwise(pl.lit(None, dtype=pl.String))
                for cond, msg in checks
            ]
        ).list.drop_nulls()
        found = failed.select("line", reasons.list.join("; ").alias("reason"))
        errors = errors + [RowError(int(n), str(r)) for n, r in found.iter_rows()]
    all_errors = sorted(errors, key=lambda e: e.line)
    good = df.filter(~pl.col("_bad")) if failed.height else df
    good = good.with_columns(
        pl.col("_amount").alias("amount"),
        (pl.col("_amount") * pl.col("rate")).alias("amount_base"),
        pl.col("timestamp").str.slice(11, 2).cast(pl.Int8).alias("local_hour"),
        _label_expr(raw.columns),
        pl.col("scenario") if "scenario" in raw.columns else pl.lit("").alias("scenario"),
    ).drop("_amount", "rate", "_bad", "_dup")
    return ReadResult(good, all_errors, raw.height + skipped)


def _normalise_codes(df: pl.DataFrame) -> pl.DataFrame:
    """Trim and case the code columns, computed once per distinct value (codes repeat a lot)."""
    changes = []
    for col, case in CODES.items():
        distinct = df[col].unique()
        fixed = distinct.to_frame().select(case(pl.col(col).str.strip_chars())).to_series()
        moved = (distinct != fixed).fill_null(False)
        if moved.any():
            changes.append(pl.col(col).replace(distinct.filter(moved), fixed.filter(moved)))
    return df.with_columns(changes) if changes else df


def _parse_timestamps(text: pl.Series, well_formed: bool) -> pl.Series:
    """UTC instants of the timestamps, null where one is not ISO 8601 with a UTC offset.

    When every value has the documented shape (``well_formed``), Arrow's ISO 8601 cast parses
    the column (some ten times faster than a strptime format); else the general way.
    """
    if well_formed:
        try:
            parsed = pl.from_arrow(pc.cast(text.to_arrow(), pa.timestamp("us", tz="UTC")))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        else:
            assert isinstance(parsed, pl.Series)
            return parsed.alias(text.name)
    return _parse_timestamps_slowly(text)


def _parse_timestamps_slowly(text: pl.Series) -> pl.Series:
    """Row by row: the main format first, then 'Z', fractional seconds, no seconds."""
    frame = text.to_frame("timestamp").with_columns(
        pl.col("timestamp").str.to_datetime(TS_FORMAT, strict=False, time_zone="UTC").alias("ts")
    )
    missed = pl.col("ts").is_null() & (pl.col("timestamp") != "")
    if frame.select(missed.any()).item():
        other = pl.col("timestamp").str.replace(r"Z$", "+00:00")
        frame = frame.with_columns(
            pl.when(missed & pl.col("timestamp").str.contains(TIMESTAMP_RE))
            .then(
                pl.coalesce(
                    other.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_zone="UTC"),
                    other.str.to_datetime("%Y-%m-%dT%H:%M%z", strict=False, time_zone="UTC"),
                )
            )
            .otherwise(pl.col("ts"))
            .alias("ts")
        )
    return frame["ts"]


def _checks() -> list[tuple[pl.Expr, pl.Expr]]:
    """(condition that makes a row bad, the reason) for every check."""
    return [
        *[(pl.col(c) == "", pl.lit(f"empty {c}")) for c in REQUIRED_NON_EMPTY],
        (
            (pl.col("timestamp") != "")
            & (pl.col("ts").is_null() | (pl.col("timestamp").str.slice(10, 1) != "T")),
            pl.lit("timestamp is not ISO 8601 with a UTC offset: ") + pl.col("timestamp"),
        ),
        (
            (pl.col("amount") != "") & pl.col("_amount").is_null(),
            pl.lit("amount is not a number: ") + pl.col("amount"),
        ),
        (
            pl.col("_amount").is_not_null()
            & (~pl.col("_amount").is_finite() | (pl.col("_amount") <= 0)),
            pl.lit("amount must be a positive number: ") + pl.col("amount"),
        ),
        (
            (pl.col("currency") != "") & pl.col("rate").is_null(),
            pl.lit("currency not in the rate table: ") + pl.col("currency"),
        ),
        (
            (pl.col("channel") != "") & ~pl.col("channel").is_in(sorted(CHANNELS)),
            pl.lit("unknown channel: ") + pl.col("channel"),
        ),
        *[
            (
                ~pl.col(c).is_in(sorted(PARTY_TYPES)),
                pl.lit(f"{c} must be person or business: ") + pl.col(c),
            )
            for c in ("sender_type", "receiver_type")
        ],
        *[
            (
                ~pl.col(c).str.contains(COUNTRY_RE),
                pl.lit(f"{c} is not an ISO 3166 alpha-2 code: ") + pl.col(c),
            )
            for c in ("sender_country", "receiver_country")
        ],
        (pl.col("_dup"), pl.lit("duplicate txn_id: ") + pl.col("txn_id")),
    ]


def _label_expr(columns: list[str]) -> pl.Expr:
    if "is_suspicious" not in columns:
        return pl.lit(None, dtype=pl.Boolean).alias("is_suspicious")
    return (
        pl.col("is_suspicious")
        .str.to_lowercase()
        .is_in(["1", "true", "yes"])
        .alias("is_suspicious")
    )
