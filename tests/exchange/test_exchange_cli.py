"""The exchange commands as a user types them, two deployments on one machine."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from egide.cli import app
from tests.support.images import write

runner = CliRunner()


def test_keygen_publish_add_sync_list_remove(tmp_path: Path) -> None:
    police = ["--db", f"sqlite:///{tmp_path / 'police.db'}"]
    platform = ["--db", f"sqlite:///{tmp_path / 'platform.db'}"]
    keys = tmp_path / "keys" / "police"
    assert runner.invoke(app, ["exchange", "keygen", str(keys)]).exit_code == 0
    again = runner.invoke(app, ["exchange", "keygen", str(keys)])
    assert again.exit_code == 2 and "not overwriting" in again.stderr
    runner.invoke(app, ["bank", "create", "national", *police])
    lst = write(tmp_path / "l.md5", b"a" * 32 + b"  x\n" + b"b" * 32 + b"  y\n")
    runner.invoke(app, ["bank", "import", "national", str(lst), "-f", "md5sum", *police])
    feed = tmp_path / "feed.jsonl"
    published = runner.invoke(
        app,
        [
            "bank",
            "publish",
            "national",
            "--key",
            f"{keys}.key",
            "--publisher",
            "Police A",
            "--out",
            str(feed),
            *police,
        ],
    )
    assert published.exit_code == 0, published.stderr
    assert "2 entries" in published.stderr
    runner.invoke(app, ["bank", "create", "police-a", *platform])
    added = runner.invoke(
        app,
        [
            "exchange",
            "add",
            "police-a",
            "--feed",
            str(feed),
            "--public-key",
            f"{keys}.pub",
            "--bank",
            "police-a",
            *platform,
        ],
    )
    assert added.exit_code == 0, added.stderr
    synced = runner.invoke(app, ["exchange", "sync", "police-a", *platform])
    assert synced.exit_code == 0 and "2 added" in synced.stderr
    feed.write_text(feed.read_text().replace("a" * 32, "c" * 32))
    refused = runner.invoke(app, ["exchange", "sync", "police-a", *platform])
    assert refused.exit_code == 1 and "refusing the whole feed" in refused.stderr
    listed = runner.invoke(app, ["exchange", "list", *platform])
    assert "police-a" in listed.stderr and "altered" in listed.stderr
    assert runner.invoke(app, ["exchange", "remove", "police-a", *platform]).exit_code == 0
    missing = runner.invoke(app, ["exchange", "sync", "police-a", *platform])
    assert missing.exit_code == 2 and "no exchange named" in missing.stderr
