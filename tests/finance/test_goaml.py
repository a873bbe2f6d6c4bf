"""goAML reports validate against the shipped XSD, and an invalid one is never written."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from egide.finance.config import load_rules
from egide.finance.goaml import GoamlError, build_report, load_schema, validate_report, write_report
from egide.finance.goaml_config import load_goaml_config
from egide.finance.rates import load_rates
from egide.finance.score import score_frame
from tests.finance.rows import frame
from tests.finance.test_alerts import buyer_rows


@pytest.fixture(scope="module")
def schema(testdata: Path) -> object:
    return load_schema(testdata / "goaml" / "goAMLSchema.xsd")


def _report(cfg_changes: dict[str, Any] | None = None) -> bytes:
    rows = buyer_rows() + buyer_rows("s2", "r2", "Bo Brown")
    rows[0]["sender_type"] = "person"
    df = frame(rows).frame
    alerts = score_frame(df, load_rules()).alerts
    cfg = dataclasses.replace(load_goaml_config(), **(cfg_changes or {}))
    return build_report(alerts, df, cfg, load_rates(), now=datetime(2026, 5, 1, tzinfo=UTC))


def test_report_validates_and_is_written(schema: object, tmp_path: Path) -> None:
    xml = _report()
    assert validate_report(xml, schema) == []  # type: ignore[arg-type]
    out = tmp_path / "str.xml"
    write_report(xml, schema, out)  # type: ignore[arg-type]
    doc = etree.parse(str(out)).getroot()
    assert doc.findtext("report_code") == "STR"
    assert len(doc.findall("transaction")) == 8
    assert doc.find("transaction/t_from/from_person/last_name").text == "Adams"  # type: ignore[union-attr]
    assert "late_night" in (doc.findtext("reason") or "")


def test_invalid_report_is_refused_and_not_written(schema: object, tmp_path: Path) -> None:
    # an FIU code that the schema's report_indicator_type does not allow
    xml = _report({"indicators": {"default": "LSCSE"}, "report_code": "XYZ"})
    problems = validate_report(xml, schema)  # type: ignore[arg-type]
    assert any("indicator" in p for p in problems) and any("report_code" in p for p in problems)
    out = tmp_path / "str.xml"
    with pytest.raises(GoamlError, match="does not validate"):
        write_report(xml, schema, out)  # type: ignore[arg-type]
    assert not out.exists() and not list(tmp_path.iterdir())


def test_local_currency_must_be_in_the_rate_table() -> None:
    with pytest.raises(GoamlError, match="XXX"):
        _report({"currency_code_local": "XXX"})
