"""Names of accounts against offender/facilitator lists (the lists traveller screening uses)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import polars as pl
from rapidfuzz import fuzz, process

from egide.watchlists import Watchlist


def normalise(name: str) -> str:
    """Lower case, accents off, punctuation off: the form both sides are compared in."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^\w ]+", " ", text).strip()


def list_hits(
    df: pl.DataFrame, lists: Sequence[Watchlist], min_score: float = 92.0
) -> dict[str, str]:
    """Account id -> 'list:entry id (listed name)' for every person account whose name matches."""
    names: list[str] = []
    labels: list[str] = []
    for wl in lists:
        for e in wl.entries:
            for n in (e.name, *e.aliases):
                if n.strip():
                    names.append(normalise(n))
                    labels.append(f"{e.list_name or wl.name}:{e.id} ({e.name})")
    if not names:
        return {}
    people = pl.concat(
        [
            df.filter(pl.col("sender_type") == "person").select(
                pl.col("sender_id").alias("id"), pl.col("sender_name").alias("name")
            ),
            df.filter(pl.col("receiver_type") == "person").select(
                pl.col("receiver_id").alias("id"), pl.col("receiver_name").alias("name")
            ),
        ]
    ).unique()
    unique_names = sorted(set(people["name"].to_list()))
    normalised = [normalise(n) for n in unique_names]
    scores = process.cdist(
        normalised, names, scorer=fuzz.token_sort_ratio, score_cutoff=min_score, workers=1
    )
    matched: dict[str, str] = {}
    for i, row in enumerate(scores):
        j = int(row.argmax())
        if row[j] >= min_score:
            matched[unique_names[i]] = labels[j]
    return {acc: matched[name] for acc, name in people.iter_rows() if name in matched}
