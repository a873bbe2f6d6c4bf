"""The alerts JSON document: alerts plus what produced them (input, errors, rules, rates)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from egide.finance.alerts import Alert, IndicatorHit
from egide.finance.config import Rules
from egide.finance.rates import RateTable
from egide.finance.reader import ReadResult

FORMAT_VERSION = "1.0"


def alerts_document(
    alerts: list[Alert],
    read: ReadResult,
    rules: Rules,
    rates: RateTable,
    source: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "format": "egide-finance-alerts",
        "version": FORMAT_VERSION,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "input": source,
        "rows_total": read.rows_total,
        "rows_scored": read.frame.height,
        "errors": [{"line": e.line, "reason": e.reason} for e in read.errors],
        "rules": rules.path,
        "alert_policy": {
            "min_families": rules.min_families,
            "min_score": rules.min_score,
            "typologies": {
                t: {
                    "min_families": p.min_families,
                    "min_score": p.min_score,
                    "required": list(p.required),
                }
                for t in rules.typologies()
                for p in [rules.policy(t)]
            },
        },
        "rates": {"base": rates.base, "as_of": rates.as_of, "source": rates.source},
        **(extra or {}),
        "alerts": [a.to_json() for a in alerts],
    }


def write_json(doc: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")


def load_alerts(path: Path) -> list[Alert]:
    """Alerts back from an alerts JSON document (for ``egide finance report``)."""
    doc = json.loads(path.read_text("utf-8"))
    if doc.get("format") != "egide-finance-alerts":
        raise ValueError(f"{path}: not an egide finance alerts document")
    out = []
    for a in doc["alerts"]:
        hits = [
            IndicatorHit(
                i["name"],
                i["family"],
                float(i["weight"]),
                i["source"],
                tuple(i["evidence"]),
                i.get("detail", ""),
            )
            for i in a["indicators"]
        ]
        out.append(
            Alert(
                a["account_id"],
                a["role"],
                float(a["score"]),
                hits,
                a.get("name", ""),
                a.get("country", ""),
                a.get("community"),
                dict(a.get("facts", {})),
                list(a.get("linked_accounts", [])),
                str(a.get("typology", "livestream")),
            )
        )
    return out
