"""goAML STR for selected alerts: built with lxml, validated with xmlschema, else not written."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import xmlschema
from lxml import etree

from egide.finance.alerts import Alert
from egide.finance.goaml_config import GoamlConfig
from egide.finance.rates import RateTable

ADDRESS_ORDER = ("address_type", "address", "city", "country_code")


class GoamlError(ValueError):
    """The report does not validate; the message lists the first problems with their paths."""


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def _date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _person(parent: etree._Element, tag: str, name: str) -> None:
    parts = name.split()
    el = _sub(parent, tag)
    _sub(el, "first_name", " ".join(parts[:-1]) or "-")
    _sub(el, "last_name", parts[-1] if parts else "-")


def build_report(
    alerts: list[Alert],
    df: pl.DataFrame,
    cfg: GoamlConfig,
    rates: RateTable,
    now: datetime | None = None,
) -> bytes:
    """The report XML for the evidence transactions of ``alerts`` (not yet validated)."""
    root = etree.Element("report")
    _sub(root, "rentity_id", str(cfg.rentity_id))
    _sub(root, "rentity_branch", cfg.rentity_branch)
    _sub(root, "submission_code", cfg.submission_code)
    _sub(root, "report_code", cfg.report_code)
    _sub(root, "entity_reference", ",".join(a.account_id for a in alerts)[:255])
    _sub(root, "submission_date", _date(now or datetime.now(UTC)))
    _sub(root, "currency_code_local", cfg.currency_code_local)
    _sub(root, "reporting_user_code", cfg.reporting_user_code)
    loc = _sub(root, "location")
    for key in ADDRESS_ORDER:
        _sub(loc, key, cfg.location.get(key, ""))
    _sub(root, "reason", _reason(alerts, cfg))
    _sub(root, "action", cfg.action)
    ids = sorted({t for a in alerts for i in a.indicators for t in i.evidence})
    rows = df.filter(pl.col("txn_id").is_in(ids)).sort("ts")
    local_rate = rates.rates.get(cfg.currency_code_local)
    if local_rate is None:
        raise GoamlError(f"local currency {cfg.currency_code_local} is not in the rate table")
    for row in rows.iter_rows(named=True):
        tr = _sub(root, "transaction")
        _sub(tr, "transactionnumber", str(row["txn_id"])[:100])
        _sub(tr, "transaction_location", str(row["sender_country"]))
        _sub(tr, "transaction_description", str(row["reference"])[:4000])
        _sub(tr, "date_transaction", _date(row["ts"]))
        _sub(tr, "transmode_code", cfg.transmode.get(str(row["channel"]), "-"))
        _sub(tr, "amount_local", f"{row['amount_base'] / local_rate:.2f}")
        t_from = _sub(tr, "t_from")
        _sub(t_from, "from_funds_code", cfg.funds_from)
        _party(t_from, "from", row["sender_type"], row["sender_name"])
        _sub(t_from, "from_country", str(row["sender_country"]))
        t_to = _sub(tr, "t_to")
        _sub(t_to, "to_funds_code", cfg.funds_to)
        _party(t_to, "to", row["receiver_type"], row["receiver_name"])
        _sub(t_to, "to_country", str(row["receiver_country"]))
    indicators = _sub(root, "report_indicators")
    codes = sorted({cfg.indicator_code(i.name) for a in alerts for i in a.indicators})
    for code in codes or [cfg.indicator_code("default")]:
        _sub(indicators, "indicator", code)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _party(parent: etree._Element, side: str, kind: str, name: str) -> None:
    if kind == "business":
        ent = _sub(parent, f"{side}_entity")
        _sub(ent, "name", name[:255] or "-")
    else:
        _person(parent, f"{side}_person", name)


def _reason(alerts: list[Alert], cfg: GoamlConfig) -> str:
    lines = [cfg.reason]
    for a in alerts:
        fired = ", ".join(f"{i.name} ({i.family})" for i in a.indicators)
        lines.append(f"Account {a.account_id} ({a.role}, score {a.score:.1f}): {fired}.")
    return "\n".join(lines)[:8000]


def load_schema(xsd: Path) -> xmlschema.XMLSchema11:
    """The goAML XSD (an XSD 1.1 document: ``vc:minVersion="1.1"``)."""
    return xmlschema.XMLSchema11(str(xsd))


def validate_report(xml: bytes, schema: xmlschema.XMLSchema11) -> list[str]:
    """Problems as 'path: reason', empty when the report is valid."""
    doc = etree.fromstring(xml)
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(doc)]


def write_report(xml: bytes, schema: xmlschema.XMLSchema11, out: Path) -> None:
    """Write the report only if it validates; otherwise raise and leave ``out`` untouched."""
    problems = validate_report(xml, schema)
    if problems:
        shown = "; ".join(problems[:5])
        raise GoamlError(f"goAML report does not validate ({len(problems)} problems): {shown}")
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(xml)
    tmp.replace(out)
