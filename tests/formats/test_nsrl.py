import io
import sqlite3
from pathlib import Path

from egide.categories import Category
from egide.formats import get_format
from egide.formats.nsrl import NsrlFormat
from tests.formats.vics_helpers import entries, errors

# The RDSv3 schema as NIST ships it (schema.sql of the RDS 3 releases), trimmed to what is read.
SCHEMA = """
CREATE TABLE FILE (
 sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL, crc32 VARCHAR NOT NULL,
 file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL, package_id INTEGER NOT NULL,
 CONSTRAINT PK_FILE__FILE PRIMARY KEY (sha256, sha1, md5, crc32, file_name, file_size, package_id)
);
CREATE TABLE PKG (
 package_id INTEGER NOT NULL, name VARCHAR NOT NULL, version VARCHAR NOT NULL,
 operating_system_id INTEGER NOT NULL, manufacturer_id INTEGER NOT NULL,
 language VARCHAR NOT NULL, application_type VARCHAR NOT NULL
);
CREATE TABLE VERSION (
 version VARCHAR UNIQUE NOT NULL, build_set VARCHAR NOT NULL, build_date TIMESTAMP NOT NULL,
 release_date TIMESTAMP NOT NULL, description VARCHAR NOT NULL
);
CREATE VIEW DISTINCT_HASH AS SELECT DISTINCT sha256, sha1, md5, crc32 FROM FILE;
"""


def make_rds(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    rows = [
        ("A" * 64, "B" * 40, "C" * 32, "00000000", "kernel32.dll", 10, 1),
        ("A" * 64, "B" * 40, "C" * 32, "00000000", "kernel32.dll", 10, 2),  # same file, 2 pkgs
        ("1" * 64, "2" * 40, "3" * 32, "00000000", "readme.txt", 5, 1),
        ("bad", "2" * 40, "3" * 32, "00000000", "broken", 1, 1),
    ]
    con.executemany("INSERT INTO FILE VALUES (?,?,?,?,?,?,?)", rows)
    con.execute("INSERT INTO VERSION VALUES ('2026.09.1','modern','2026-09-01','2026-09-15','x')")
    con.commit()
    con.close()
    return path


def test_reads_each_distinct_file_as_known_software(tmp_path: Path) -> None:
    path = make_rds(tmp_path / "rds.db")
    with path.open("rb") as source:
        items = list(get_format("nsrl").read(source))
    got = entries(items)
    assert [(e.signal_type, e.value) for e in got] == [
        ("sha256", "1" * 64),
        ("sha1", "2" * 40),
        ("md5", "3" * 32),
        ("sha256", "a" * 64),
        ("sha1", "b" * 40),
        ("md5", "c" * 32),
    ]
    assert {e.category for e in got} == {Category("nsrl", "KNOWN")}
    assert got[3].extra == {
        "nsrl": {
            "file_name": "kernel32.dll",
            "file_size": 10,
            "package_id": 1,
            "files": 2,
            "rds_version": "2026.09.1",
        }
    }
    [error] = errors(items)
    assert error.position == "row 3" and "sha256" in error.message


def test_a_stream_is_copied_to_a_temporary_file(tmp_path: Path) -> None:
    data = make_rds(tmp_path / "rds.db").read_bytes()
    items = list(NsrlFormat(signals=("sha256",)).read(io.BytesIO(data)))
    assert [e.signal_type for e in entries(items)] == ["sha256", "sha256"]


def test_not_an_rds_database(tmp_path: Path) -> None:
    [error] = get_format("nsrl").read(io.BytesIO(b"plain text, not sqlite"))
    assert error.position == "file" and "not an NSRL RDSv3 database" in error.message  # type: ignore[union-attr]
