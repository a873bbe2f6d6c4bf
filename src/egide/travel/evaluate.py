"""Precision, recall, F1 and false-positive rate over a threshold sweep on a labelled set.

A listed passenger counts as found at threshold t when their own entry scores >= t; any other
hit is a false positive pair. The false-positive rate is the share of innocent passengers with
at least one hit, the figure a border unit feels as needless referrals.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from egide.travel.model import Traveller
from egide.travel.rules import Rules
from egide.travel.screen import Screening
from egide.watchlists import Watchlist


@dataclass(frozen=True)
class Point:
    threshold: float
    precision: float
    recall: float
    f1: float
    fpr: float
    true_positives: int
    false_positive_pairs: int
    innocents_flagged: int


@dataclass(frozen=True)
class Evaluation:
    points: list[Point]
    listed: int
    innocents: int

    def best(self, max_fpr: float = 0.001) -> Point | None:
        """Highest F1 among thresholds whose false-positive rate is within max_fpr."""
        ok = [p for p in self.points if p.fpr <= max_fpr]
        return max(ok, key=lambda p: (p.f1, p.threshold)) if ok else None


def read_labels(path: Path) -> dict[str, str | None]:
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return {r["passenger_id"]: (r["watchlist_id"] or None) for r in csv.DictReader(fh)}


def evaluate(
    travellers: list[Traveller],
    labels: dict[str, str | None],
    watchlists: list[Watchlist],
    rules: Rules,
    thresholds: list[float],
) -> Evaluation:
    """Score once at the lowest threshold, then count at every threshold of the sweep."""
    screening = Screening.build(watchlists, rules)
    low = min(thresholds)
    scored: list[tuple[str | None, list[tuple[str, float]]]] = []
    for t in travellers:
        if t.ref not in labels:
            continue
        found = screening.screen_traveller(t, low)
        scored.append((labels[t.ref], [(h.entry.id, h.score) for h in found]))
    listed = sum(1 for truth, _ in scored if truth is not None)
    innocents = len(scored) - listed
    points = []
    for th in sorted(thresholds):
        tp = fp = flagged = 0
        for truth, hits in scored:
            above = [eid for eid, s in hits if s >= th]
            tp += int(truth is not None and truth in above)
            fp += sum(1 for eid in above if eid != truth)
            flagged += int(truth is None and bool(above))
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / listed if listed else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        points.append(
            Point(
                th,
                precision,
                recall,
                f1,
                flagged / innocents if innocents else 0.0,
                tp,
                fp,
                flagged,
            )
        )
    return Evaluation(points, listed, innocents)


def sweep(start: float = 0.5, stop: float = 0.99, step: float = 0.01) -> list[float]:
    n = round((stop - start) / step)
    return [round(start + i * step, 4) for i in range(n + 1)]
