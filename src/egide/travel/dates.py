"""Date forms used in API/PNR messages, turned into ISO strings (None when unreadable)."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        start=1,
    )
}


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _century(yy: int, pivot: int) -> int:
    return 2000 + yy if yy <= pivot else 1900 + yy


def birth_yymmdd(text: str, today: date | None = None) -> str | None:
    """YYMMDD or CCYYMMDD birth date; a two-digit year is never in the future."""
    text = text.strip()
    today = today or date.today()
    if re.fullmatch(r"\d{8}", text):
        return _iso(int(text[:4]), int(text[4:6]), int(text[6:8]))
    if re.fullmatch(r"\d{6}", text):
        yy = int(text[:2])
        return _iso(_century(yy, today.year % 100), int(text[2:4]), int(text[4:6]))
    return None


def future_yymmdd(text: str) -> str | None:
    """YYMMDD for expiry dates: always 20YY."""
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):
        return _iso(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    if re.fullmatch(r"\d{8}", text):
        return _iso(int(text[:4]), int(text[4:6]), int(text[6:8]))
    return None


def yymmddhhmm(text: str) -> str | None:
    """Flight times in DTM 189/232: YYMMDDHHMM (or CCYYMMDDHHMM, or a bare date)."""
    text = text.strip()
    if re.fullmatch(r"\d{12}", text):
        text = text[2:]
    if re.fullmatch(r"\d{10}", text):
        day = _iso(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
        return f"{day}T{text[6:8]}:{text[8:10]}" if day else None
    return future_yymmdd(text)


def ddmmyy(text: str, time: str = "") -> str | None:
    """PNR TVL dates: DDMMYY with an optional HHMM."""
    text = text.strip()
    if not re.fullmatch(r"\d{6}", text):
        return None
    day = _iso(2000 + int(text[4:6]), int(text[2:4]), int(text[:2]))
    if day and re.fullmatch(r"\d{4}", time.strip()):
        return f"{day}T{time[:2]}:{time[2:4]}"
    return day


def ddmonyy(text: str, birth: bool, today: date | None = None) -> str | None:
    """SSR DOCS dates: 12JUL64 (birth dates are never in the future)."""
    m = re.fullmatch(r"(\d{1,2})([A-Z]{3})(\d{2}|\d{4})", text.strip().upper())
    if not m or m.group(2) not in MONTHS:
        return None
    day, month, year = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
    today = today or date.today()
    if len(year) == 4:
        return _iso(int(year), month, day)
    yy = int(year)
    return _iso(_century(yy, today.year % 100) if birth else 2000 + yy, month, day)
