"""Request and response bodies of the API (what the OpenAPI document shows)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Visibility = Literal["private", "shared", "public"]


class Strict(BaseModel):
    """Request bodies: unknown fields and type coercions (``false`` for a number) are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class HashQuery(Strict):
    signal_type: str = Field(max_length=32, examples=["pdq"])
    value: str = Field(max_length=400)


class LookupRequest(Strict):
    queries: list[HashQuery] = Field(min_length=1, max_length=1000)


class Category(BaseModel):
    scheme: str
    code: str
    label: str | None = None


class HitOut(BaseModel):
    bank: str
    entry_id: int
    signal_type: str
    value: str
    distance: int
    category: Category | None = None
    series: str | None = None
    victim_identified: bool | None = None
    baseline: bool | None = None


class LookupResult(BaseModel):
    signal_type: str
    value: str
    hits: list[HitOut]
    allowed_by: list[HitOut]


class LookupResponse(BaseModel):
    results: list[LookupResult]


class FileLookupResponse(BaseModel):
    hashes: dict[str, object]
    hits: list[HitOut]
    allowed_by: list[HitOut]


class BankCreate(Strict):
    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: str = Field(default="", max_length=5000)
    source: str = Field(default="", max_length=500)
    pdq_threshold: int = Field(default=31, ge=0, le=128)
    kind: Literal["match", "allow"] = "match"
    visibility: Visibility = "private"
    shared_with: list[str] = Field(default_factory=list, max_length=1000)


class BankUpdate(Strict):
    enabled: bool | None = None
    description: str | None = Field(default=None, max_length=5000)
    visibility: Visibility | None = None
    shared_with: list[str] | None = Field(default=None, max_length=1000)


class BankOut(BaseModel):
    name: str
    description: str
    source: str
    kind: str
    pdq_threshold: int
    enabled: bool
    revision: int
    visibility: str
    owned: bool
    shared_with: list[str] | None = None
    entries: int
    entries_by_signal: dict[str, int]


class EntryIn(Strict):
    signal_type: str = Field(max_length=32)
    value: str = Field(max_length=400)
    category_scheme: str | None = Field(default=None, max_length=64)
    category: str | None = Field(default=None, max_length=32)
    series: str | None = Field(default=None, max_length=300)
    victim_identified: bool | None = None
    baseline: bool | None = None


class EntriesIn(Strict):
    entries: list[EntryIn] = Field(min_length=1, max_length=10_000)
    source: str | None = Field(default=None, max_length=300)


class EntryOut(BaseModel):
    id: int
    signal_type: str
    value: str
    category_scheme: str | None
    category: str | None
    series: str | None
    enabled: bool
    quarantined: bool


class EntryUpdate(Strict):
    enabled: bool


class ImportOut(BaseModel):
    added: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[str]
    committed: bool


class MatchOut(BaseModel):
    id: int
    at: str
    key_prefix: str
    query_signal: str
    query_value: str
    bank: str
    entry_id: int
    distance: int


class AuditOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, object]
    remote: str
    hash: str


class ChainOut(BaseModel):
    ok: bool
    records: int
    first_bad_seq: int | None
    problem: str | None


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class ScanRequest(Strict):
    path: str = Field(
        min_length=1,
        max_length=4000,
        description="An absolute path of a file or folder under one of the server's scan roots.",
    )
    banks: list[str] | None = Field(
        default=None,
        max_length=100,
        description="Banks to match (names); default: every enabled bank the caller may use.",
    )
    dihedral: bool = False


class ScanRefused(BaseModel):
    path: str
    reason: str


class ScanOut(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    path: str
    banks: list[str]
    files: int
    refused: list[ScanRefused]
    created_at: str
    finished_at: str | None = None
    error: str | None = None
    summary: dict[str, Any] | None = None
    report: dict[str, Any] | None = Field(
        default=None, description="The scan's JSON report (schema 1.0), once done."
    )
