"""VICS v1.x export (``odata.metadata``, DHS numbering) and ``--profile`` / ``--vics-version``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from egide.categories import Category
from egide.cli import app
from egide.formats import ListEntry
from egide.formats.vics import VicsFormat
from tests.formats.test_vics_write import flags, signals, texts
from tests.formats.vics_helpers import MD5, SHA1, entries, read, vics

runner = CliRunner()
V1_CATEGORIES = st.one_of(
    st.none(),
    st.sampled_from([Category("dhs", c) for c in "012345"]),
    st.sampled_from([Category("uk-caid", "A"), Category("nsrl", "KNOWN")]),
)


def write_v1(items: list[ListEntry], version: str = "1.3") -> str:
    out = io.StringIO()
    assert VicsFormat(version=version).write(items, out) == len(items)
    return out.getvalue()


@st.composite
def v1_banks(draw: st.DrawFn) -> list[ListEntry]:
    ids = draw(st.lists(st.integers(0, 10**6).map(str), max_size=6, unique=True))
    items = []
    for media_id in ids:
        shared = {
            "category": draw(V1_CATEGORIES),
            "series": draw(st.one_of(st.none(), texts)),
            "victim_identified": draw(flags),
            "media_id": media_id,
            "is_distributed": draw(flags),
        }
        hashes = draw(st.lists(signals, min_size=1, max_size=3, unique=True))
        items += [ListEntry(s, v, **shared) for s, v in hashes]  # type: ignore[arg-type]
    return items


@settings(max_examples=60, deadline=None)
@given(v1_banks())
def test_property_v1_export_then_import_gives_the_same_entries(items: list[ListEntry]) -> None:
    written = write_v1(items)
    assert json.loads(written)["odata.metadata"].endswith("/DataModels/1.3.xml#Media")
    back = entries(read(written.encode()))

    def key(e: ListEntry) -> tuple[str, str, str]:
        return (e.media_id or "", e.signal_type, e.value)

    assert sorted(back, key=key) == sorted(items, key=key)
    assert json.loads(write_v1(back)) == json.loads(written)


def test_v2_us_categories_are_renumbered_through_the_table_for_v1() -> None:
    us = [
        ListEntry("md5", MD5.lower(), Category("projectvic-us", "0"), media_id="1"),
        ListEntry("sha1", SHA1.lower(), Category("projectvic-us", "2"), media_id="2"),
        ListEntry("md5", "a" * 32, Category("vics-uk", "7"), media_id="3"),
    ]
    records = json.loads(write_v1(us, "1.2"))
    assert (
        records["odata.metadata"] == "http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media"
    )
    assert [r.get("Category") for r in records["value"]] == [5, 2, None]
    assert records["value"][2]["Category@egide.category"] == "vics-uk:7"


def test_bad_version_or_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="no profiles"):
        VicsFormat(version="1.3", profile="UK").write([], io.StringIO())
    with pytest.raises(ValueError, match="unknown VICS version"):
        VicsFormat(version="3.0").write([], io.StringIO())


def test_cli_export_profile_and_version(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'egide.db'}"]
    source = tmp_path / "in.json"
    source.write_bytes(vics([{"MediaID": 1, "Category": 2, "MD5": MD5}], profile="UK"))
    assert runner.invoke(app, ["bank", "create", "b", *db]).exit_code == 0
    assert (
        runner.invoke(app, ["bank", "import", "b", str(source), "-f", "vics", *db]).exit_code == 0
    )
    out = tmp_path / "out.json"
    done = runner.invoke(
        app, ["bank", "export", "b", "-f", "vics", "--profile", "CUSTOM", "-o", str(out), *db]
    )
    assert done.exit_code == 0, done.stderr
    exported = json.loads(out.read_text())
    assert "/2.0.xml/CUSTOM/$metadata#Media" in exported["@odata.context"]
    assert exported["value"][0]["Category@egide.category"] == "vics-uk:2"
    done = runner.invoke(
        app, ["bank", "export", "b", "-f", "vics", "--vics-version", "1.3", "-o", str(out), *db]
    )
    assert done.exit_code == 0, done.stderr
    assert json.loads(out.read_text())["odata.metadata"].endswith("1.3.xml#Media")
    bad = runner.invoke(app, ["bank", "export", "b", "-f", "vics", "--profile", "Moon", *db])
    assert bad.exit_code == 2 and "unknown VICS profile" in bad.stderr
    bad = runner.invoke(app, ["bank", "export", "b", "-f", "csv", "--profile", "UK", *db])
    assert bad.exit_code == 2 and "--format vics only" in bad.stderr
