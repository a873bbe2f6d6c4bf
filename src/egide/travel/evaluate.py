"""Precision, recall, F1 and false-positive rate over a threshold sweep on a labelled set.

A listed passenger counts as found at threshold t when their own entry scores >= t; any other
hit is a false positive pair. The false-positive rate is the share of innocent passengers with
at least one hit, the figure a border unit feels as needless referrals. With a script per
passenger (labels.csv `script`: the script of the listed name the passenger is, or resembles),
the same figures are given per script.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
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
    by_script: dict[str, list[Point]] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # script -> listed, innocents

    def best(self, max_fpr: float = 0.001) -> Point | None:
        """Highest F1 among thresholds whose false-positive rate is within max_fpr."""
        ok = [p for p in self.points if p.fpr <= max_fpr]
        return max(ok, key=lambda p: (p.f1, p.threshold)) if ok else None


def read_labels(path: Path) -> dict[str, str | None]:
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return {r["passenger_id"]: (r["watchlist_id"] or None) for r in csv.DictReader(fh)}


def read_scripts(path: Path) -> dict[str, str]:
    """passenger_id -> script, from the optional `script` column (empty when absent)."""
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return {r["passenger_id"]: s for r in csv.DictReader(fh) if (s := r.get("script") or "")}


Scored = list[tuple[str | None, list[tuple[str, float]]]]


def _points(scored: Scored, thresholds: list[float]) -> list[Point]:
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
        fpr = flagged / innocents if innocents else 0.0
        points.append(Point(th, precision, recall, f1, fpr, tp, fp, flagged))
    return points


def evaluate(
    travellers: list[Traveller],
    labels: dict[str, str | None],
    watchlists: list[Watchlist],
    rules: Rules,
    thresholds: list[float],
    scripts: dict[str, str] | None = None,
) -> Evaluation:
    """Score once at the lowest threshold, then count at every threshold of the sweep."""
    screening = Screening.build(watchlists, rules)
    low = min(thresholds)
    scored: Scored = []
    groups: dict[str, Scored] = {}
    for t in travellers:
        if t.ref not in labels:
            continue
        found = screening.screen_traveller(t, low)
        row = (labels[t.ref], [(h.entry.id, h.score) for h in found])
        scored.append(row)
        if scripts and t.ref in scripts:
            groups.setdefault(scripts[t.ref], []).append(row)
    listed = sum(1 for truth, _ in scored if truth is not None)
    counts = {
        g: (sum(1 for truth, _ in rows if truth is not None), sum(1 for t, _ in rows if t is None))
        for g, rows in groups.items()
    }
    return Evaluation(
        _points(scored, thresholds),
        listed,
        len(scored) - listed,
        {g: _points(rows, thresholds) for g, rows in sorted(groups.items())},
        counts,
    )


def sweep(start: float = 0.5, stop: float = 0.99, step: float = 0.01) -> list[float]:
    n = round((stop - start) / step)
    return [round(start + i * step, 4) for i in range(n + 1)]
