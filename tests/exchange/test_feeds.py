"""Signed egide feeds: publish, subscribe, sync; tampered, unsigned, foreign and stale feeds."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine

from egide.banks import create_bank, get_bank, import_entries, iter_entries, sources_of
from egide.categories import Category
from egide.exchange import (
    FeedError,
    FetchError,
    RetryPolicy,
    add_exchange,
    generate_keypair,
    get_exchange,
    load_private_key,
    publish_feed,
    sync_exchange,
)
from egide.formats import ListEntry
from egide.store import open_engine, session_maker

ENTRIES = [
    ListEntry("md5", f"{i:032x}", Category("projectvic-us", "1"), f"series-{i % 3}")
    for i in range(1, 40)
] + [ListEntry("pdq", "ab" * 32, Category("uk-caid", "A"), media_id="M-7", extra={"k": [1]})]
FAST = RetryPolicy(attempts=3, first_delay=0.01, timeout=5)


@pytest.fixture
def publisher(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    engine = open_engine(f"sqlite:///{tmp_path / 'publisher.db'}")
    with session_maker(engine)() as session:
        bank = create_bank(session, "national", source="national police")
        import_entries(session, bank, ENTRIES)
    generate_keypair(tmp_path / "keys" / "police")
    yield engine, tmp_path / "keys" / "police"
    engine.dispose()


def publish(engine: Engine, key_prefix: Path, out: Path) -> None:
    with session_maker(engine)() as session:
        publish_feed(
            session,
            get_bank(session, "national"),
            load_private_key(key_prefix.with_suffix(".key")),
            "Police A",
            out,
        )


def subscribe(engine: Engine, location: str, key_prefix: Path) -> None:
    with session_maker(engine)() as session:
        create_bank(session, "from-police-a")
        add_exchange(
            session,
            "police-a",
            "from-police-a",
            location,
            key_prefix.with_suffix(".pub").read_bytes(),
        )
        session.commit()


def local_entries(engine: Engine) -> list[ListEntry]:
    with session_maker(engine)() as session:
        return list(iter_entries(session, get_bank(session, "from-police-a")))


def test_publish_then_sync_copies_the_bank_with_provenance(
    publisher: tuple[Engine, Path], engine: Engine, tmp_path: Path
) -> None:
    pub_engine, key = publisher
    publish(pub_engine, key, tmp_path / "feed.jsonl")
    subscribe(engine, str(tmp_path / "feed.jsonl"), key)
    with session_maker(engine)() as session:
        result = sync_exchange(session, "police-a")
        assert (result.added, result.rejected, result.withdrawn) == (len(ENTRIES), 0, 0)
        assert sync_exchange(session, "police-a").up_to_date
    assert local_entries(engine) == ENTRIES
    with session_maker(engine)() as session:
        bank = get_bank(session, "from-police-a")
        assert sources_of(session, bank.entries[0].id) == ["exchange:police-a"]


def test_deletions_are_applied_but_other_sources_keep_their_entries(
    publisher: tuple[Engine, Path], engine: Engine, tmp_path: Path
) -> None:
    pub_engine, key = publisher
    publish(pub_engine, key, tmp_path / "feed.jsonl")
    subscribe(engine, str(tmp_path / "feed.jsonl"), key)
    with session_maker(engine)() as session:
        sync_exchange(session, "police-a")
        local = get_bank(session, "from-police-a")
        import_entries(session, local, [ENTRIES[1]], source="own analyst")
    with session_maker(pub_engine)() as session:
        national = get_bank(session, "national")
        for entry in list(national.entries)[:2]:
            session.delete(entry)
        session.commit()
    publish(pub_engine, key, tmp_path / "feed.jsonl")
    with session_maker(engine)() as session:
        result = sync_exchange(session, "police-a")
    assert result.withdrawn == 1
    assert local_entries(engine) == ENTRIES[1:]


def tamper(path: Path, line: int, edit: dict[str, object]) -> None:
    lines = path.read_text().splitlines()
    record = json.loads(lines[line])
    record.update(edit)
    lines[line] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    "attack,message",
    [
        ("entry", "altered or truncated"),
        ("manifest", "bad signature"),
        ("unsigned", "not signed"),
        ("truncated", "altered or truncated"),
        ("other-key", "bad signature"),
    ],
)
def test_refused_feeds_import_nothing(
    publisher: tuple[Engine, Path], engine: Engine, tmp_path: Path, attack: str, message: str
) -> None:
    pub_engine, key = publisher
    feed = tmp_path / "feed.jsonl"
    publish(pub_engine, key, feed)
    trusted = key
    if attack == "entry":
        tamper(feed, 5, {"value": "f" * 32})
    elif attack == "manifest":
        header = json.loads(feed.read_text().splitlines()[0])
        header["manifest"]["publisher"] = "Someone else"
        feed.write_text("\n".join([json.dumps(header), *feed.read_text().splitlines()[1:]]) + "\n")
    elif attack == "unsigned":
        tamper(feed, 0, {"signature": ""})
    elif attack == "truncated":
        feed.write_text("\n".join(feed.read_text().splitlines()[:-3]) + "\n")
    else:
        generate_keypair(tmp_path / "keys" / "other")
        trusted = tmp_path / "keys" / "other"
    subscribe(engine, str(feed), trusted)
    with session_maker(engine)() as session, pytest.raises(FeedError, match=message):
        sync_exchange(session, "police-a")
    assert local_entries(engine) == []
    with session_maker(engine)() as session:
        assert message in (get_exchange(session, "police-a").last_error or "")


def test_an_older_feed_is_refused_as_a_replay(
    publisher: tuple[Engine, Path], engine: Engine, tmp_path: Path
) -> None:
    pub_engine, key = publisher
    publish(pub_engine, key, tmp_path / "old.jsonl")
    publish(pub_engine, key, tmp_path / "feed.jsonl")
    subscribe(engine, str(tmp_path / "feed.jsonl"), key)
    with session_maker(engine)() as session:
        sync_exchange(session, "police-a")
        (tmp_path / "old.jsonl").replace(tmp_path / "feed.jsonl")
        with pytest.raises(FeedError, match="older than the one already applied"):
            sync_exchange(session, "police-a")


class FlakyServer(BaseHTTPRequestHandler):
    """Serves the feed after ``failures`` 503 answers; 404 for any other path."""

    body = b""
    failures = 0

    def do_GET(self) -> None:
        if self.path != "/feed.jsonl":
            self.send_error(404)
            return
        if FlakyServer.failures > 0:
            FlakyServer.failures -= 1
            self.send_error(503)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FlakyServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_http_feed_survives_5xx_with_retries_and_reports_4xx(
    publisher: tuple[Engine, Path], engine: Engine, tmp_path: Path, server: str
) -> None:
    pub_engine, key = publisher
    publish(pub_engine, key, tmp_path / "feed.jsonl")
    FlakyServer.body = (tmp_path / "feed.jsonl").read_bytes()
    FlakyServer.failures = 2
    subscribe(engine, f"{server}/feed.jsonl", key)
    with session_maker(engine)() as session:
        assert sync_exchange(session, "police-a", FAST).added == len(ENTRIES)
        create_bank(session, "other")
        add_exchange(
            session, "gone", "other", f"{server}/missing", key.with_suffix(".pub").read_bytes()
        )
        session.commit()
        with pytest.raises(FetchError, match="HTTP 404"):
            sync_exchange(session, "gone", FAST)
        FlakyServer.failures = 10
        with pytest.raises(FetchError, match=r"HTTP 503 .*after 3 attempt"):
            sync_exchange(session, "police-a", FAST)
