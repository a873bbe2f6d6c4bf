"""The CSV layouts of the public synthetic AML data sets, as canonical rows.

IBM AMLworld (Altman et al. 2023, ``*_Trans.csv``) and SAML-D (Oztas et al. 2023) have no
names, and AMLworld no countries or time zones: names stay empty, countries are ``ZZ`` (ISO
3166 user-assigned: unknown) and times are taken as UTC. Their labels map to ``is_suspicious``
and ``scenario``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from egide.finance.reader_types import RowError
from egide.finance.schema import COLUMNS

Row = dict[str, str]
UNKNOWN_COUNTRY = "ZZ"
AMLWORLD_HEADER = [
    "Timestamp",
    "From Bank",
    "Account",
    "To Bank",
    "Account",
    "Amount Received",
    "Receiving Currency",
    "Amount Paid",
    "Payment Currency",
    "Payment Format",
    "Is Laundering",
]
CURRENCY_NAMES = {
    "us dollar": "USD",
    "euro": "EUR",
    "uk pound": "GBP",
    "uk pounds": "GBP",
    "yuan": "CNY",
    "yen": "JPY",
    "rupee": "INR",
    "indian rupee": "INR",
    "ruble": "RUB",
    "swiss franc": "CHF",
    "australian dollar": "AUD",
    "canadian dollar": "CAD",
    "mexican peso": "MXN",
    "brazil real": "BRL",
    "saudi riyal": "SAR",
    "shekel": "ILS",
    "bitcoin": "XBT",
    "dirham": "AED",
    "albanian lek": "ALL",
    "naira": "NGN",
    "pakistani rupee": "PKR",
    "turkish lira": "TRY",
    "moroccan dirham": "MAD",
}
AMLWORLD_CHANNEL = {
    "reinvestment": "bank_transfer",
    "cheque": "bank_transfer",
    "credit card": "card",
    "ach": "bank_transfer",
    "cash": "cash",
    "wire": "bank_transfer",
    "bitcoin": "crypto",
}
SAMLD_CHANNEL = {
    "cash deposit": "cash",
    "cash withdrawal": "cash",
    "cross-border": "bank_transfer",
    "credit card": "card",
    "debit card": "card",
    "ach": "bank_transfer",
    "cheque": "bank_transfer",
}
SAMLD_COUNTRY = {
    "uk": "GB",
    "uae": "AE",
    "albania": "AL",
    "india": "IN",
    "japan": "JP",
    "mexico": "MX",
    "switzerland": "CH",
    "nigeria": "NG",
    "pakistan": "PK",
    "turkey": "TR",
    "morocco": "MA",
    "austria": "AT",
    "germany": "DE",
    "france": "FR",
    "italy": "IT",
    "netherlands": "NL",
    "spain": "ES",
    "usa": "US",
}


def _row(line: int, **cells: str) -> Row:
    row = {c: cells.get(c, "") for c in COLUMNS}
    row["is_suspicious"] = cells.get("is_suspicious", "")
    row["scenario"] = cells.get("scenario", "")
    row["_line"] = str(line)
    return row


def _mapped(table: dict[str, str], value: str) -> str:
    """The canonical code, or the original text so the reader names it in its error."""
    return table.get(value.strip().lower(), value.strip())


def read_amlworld(path: Path) -> tuple[list[Row], list[RowError]]:
    """Rows from an AMLworld transactions file; the payer side's amount and currency are used."""
    rows: list[Row] = []
    errors: list[RowError] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(AMLWORLD_HEADER):
                errors.append(RowError(line, f"expected 11 fields, got {len(cells)}"))
                continue
            ts, fbank, facct, tbank, tacct, _, _, paid, paid_cur, fmt, label = cells
            stamp = ts.strip().replace("/", "-").replace(" ", "T")
            rows.append(
                _row(
                    line,
                    txn_id=f"L{line}",
                    timestamp=f"{stamp}+00:00" if stamp else "",
                    sender_id=f"{fbank}:{facct}",
                    sender_country=UNKNOWN_COUNTRY,
                    sender_type="person",
                    receiver_id=f"{tbank}:{tacct}",
                    receiver_country=UNKNOWN_COUNTRY,
                    receiver_type="person",
                    amount=paid,
                    currency=_mapped(CURRENCY_NAMES, paid_cur),
                    channel=_mapped(AMLWORLD_CHANNEL, fmt),
                    is_suspicious=label.strip(),
                    scenario="amlworld_laundering" if label.strip() == "1" else "amlworld",
                )
            )
    return rows, errors


def read_samld(path: Path) -> tuple[list[Row], list[RowError]]:
    """Rows from SAML-D (``SAML-D.csv``): bank locations give the countries."""
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        for line, cells in enumerate(reader, start=2):

            def get(key: str, cells: dict[str, str] = cells) -> str:
                return (cells.get(key) or "").strip()

            stamp = f"{get('Date')}T{get('Time')}+00:00" if get("Date") else ""
            rows.append(
                _row(
                    line,
                    txn_id=f"L{line}",
                    timestamp=stamp,
                    sender_id=get("Sender_account"),
                    sender_country=_mapped(SAMLD_COUNTRY, get("Sender_bank_location")),
                    sender_type="person",
                    receiver_id=get("Receiver_account"),
                    receiver_country=_mapped(SAMLD_COUNTRY, get("Receiver_bank_location")),
                    receiver_type="person",
                    amount=get("Amount"),
                    currency=_mapped(CURRENCY_NAMES, get("Payment_currency")),
                    channel=_mapped(SAMLD_CHANNEL, get("Payment_type")),
                    is_suspicious=get("Is_laundering"),
                    scenario=get("Laundering_type"),
                )
            )
    return rows, []
