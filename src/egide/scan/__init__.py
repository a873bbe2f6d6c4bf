"""Triage of folders and archives: walk, hash, match against banks, checkpoint, report."""

from egide.scan.checkpoint import ScanStateError
from egide.scan.options import ScanOptions
from egide.scan.progress import NoProgress, ScanProgress
from egide.scan.report import SCHEMA_VERSION, ScanReport, schema
from egide.scan.runner import ScanOutcome, run_scan
from egide.scan.walk import DiskFile, Item, WalkLimits, iter_disk_files, iter_items

__all__ = [
    "SCHEMA_VERSION",
    "DiskFile",
    "Item",
    "NoProgress",
    "ScanOptions",
    "ScanOutcome",
    "ScanProgress",
    "ScanReport",
    "ScanStateError",
    "WalkLimits",
    "iter_disk_files",
    "iter_items",
    "run_scan",
    "schema",
]
