"""Simple entity resolution: one person behind several sender accounts or name spellings.

Names alone over-match (two John Smiths), so only senders who pay a common beneficiary are
compared: candidate pairs come from each beneficiary's corridor senders (at most
``MAX_SENDERS_PER_BENEFICIARY`` of them, so the work stays linear), must be in the same
country, and are joined when their names score at least ``min_score`` with rapidfuzz
(token-sort ratio, accents and case ignored). Groups are closed with union-find. A buyer who
splits payments over accounts is then scored as one sender.
"""

from __future__ import annotations

import polars as pl
from rapidfuzz import fuzz, process

from egide.finance.listhits import normalise

MAX_SENDERS_PER_BENEFICIARY = 200


def resolve_senders(tx: pl.DataFrame, df: pl.DataFrame, min_score: float = 90.0) -> pl.DataFrame:
    """``sender_id`` -> ``entity_id`` for accounts that belong to a group of two or more."""
    pairs = tx.filter(pl.col("corr")).select("sender_id", "receiver_id").unique()
    small = (
        pairs.group_by("receiver_id")
        .agg(pl.len().alias("n"))
        .filter((pl.col("n") >= 2) & (pl.col("n") <= MAX_SENDERS_PER_BENEFICIARY))
    )
    pairs = pairs.join(small.select("receiver_id"), on="receiver_id", how="semi")
    people = (
        df.lazy()
        .select("sender_id", "sender_name", "sender_country")
        .join(pairs.lazy().select("sender_id").unique(), on="sender_id", how="semi")
        .group_by("sender_id")
        .agg(pl.col("sender_name").first().alias("name"), pl.col("sender_country").first())
        .collect()
    )
    candidates = (
        pairs.join(pairs, on="receiver_id", suffix="_b")
        .filter(pl.col("sender_id") < pl.col("sender_id_b"))
        .select("sender_id", "sender_id_b")
        .unique()
        .join(people, on="sender_id")
        .join(people, left_on="sender_id_b", right_on="sender_id", suffix="_b")
        .filter(pl.col("sender_country") == pl.col("sender_country_b"))
    )
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.get(a, a) != a:
            a = parent[a]
        return a

    names = pl.concat([candidates["name"], candidates["name_b"]]).fill_null("").unique()
    norm = dict(zip(names.to_list(), [normalise(n) for n in names.to_list()], strict=True))
    scores = process.cpdist(
        [norm[n or ""] for n in candidates["name"].to_list()],
        [norm[n or ""] for n in candidates["name_b"].to_list()],
        scorer=fuzz.token_sort_ratio,
        workers=1,
    )
    matched = candidates.select("sender_id", "sender_id_b").filter(
        pl.Series(scores >= min_score, dtype=pl.Boolean)
    )
    for a, b in matched.iter_rows():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {acc: find(acc) for acc in parent}
    for root in set(groups.values()):
        groups[root] = root
    return pl.DataFrame(
        {"sender_id": list(groups), "entity_id": list(groups.values())},
        schema={"sender_id": pl.String, "entity_id": pl.String},
    )
