"""Running a lookup once the caller is known: shared by the FastAPI routes and the fast path.

Both ways into ``POST /v1/lookup`` (``routes_lookup`` and ``fastpath``) call
:func:`hashes_answer`, so they search, record and answer exactly alike.
"""

from __future__ import annotations

import threading
from typing import Any

import numba
from starlette.concurrency import run_in_threadpool

from egide.hashing import FileHashes
from egide.match import FileMatch, MatchOptions
from egide.service import metrics
from egide.service.keys import Principal
from egide.service.lookup import (
    OPTIONS,
    Query,
    as_record,
    history_rows,
    lookup_event,
    match_records,
    pdq_misses,
)
from egide.service.state import ServiceState

INLINE_MAX = 4
"""Up to this many PDQ hashes are searched on the event loop (sub-millisecond), no thread."""
_threads = threading.local()


def _one_numba_thread() -> None:
    """numba's thread count is per thread: set it once in each thread that searches."""
    if not getattr(_threads, "one", False):
        numba.set_num_threads(1)  # workers are the parallelism (see egide serve)
        _threads.one = True


def result_json(match: FileMatch) -> dict[str, Any]:
    return {
        "hits": [h.to_json_dict() for h in match.hits],
        "allowed_by": [h.to_json_dict() for h in match.allowed],
    }


def run(
    state: ServiceState,
    remote: str,
    who: Principal,
    queries: list[Query],
    records: list[FileHashes],
    what: str,
    options: MatchOptions = OPTIONS,
) -> list[FileMatch]:
    """Match, then queue the audit event and match rows (written off the request path)."""
    _one_numba_thread()
    snapshot = state.registry.snapshot
    if all(q.signal_type == "pdq" for q in queries) and pdq_misses(snapshot, who, queries):
        results = [FileMatch([], []) for _ in records]
    else:
        with state.sessions() as session:
            results = match_records(session, snapshot, who, records, options)
    state.recorder.add(
        lookup_event(who, remote, queries, results, what),
        history_rows(who, snapshot, records, results),
    )
    metrics.LOOKUPS.inc(len(queries))
    metrics.HITS.inc(sum(len(r.hits) for r in results))
    return results


async def hashes_answer(
    state: ServiceState, remote: str, who: Principal, queries: list[Query]
) -> dict[str, Any]:
    """The JSON body of ``POST /v1/lookup`` for validated, normalised queries."""
    records = [as_record(q, i) for i, q in enumerate(queries)]
    if len(queries) <= INLINE_MAX and all(q.signal_type == "pdq" for q in queries):
        # A few PDQ hashes are searched in memory (the database is read only for the rows of
        # hits): answered on the event loop, without a thread hand-off.
        results = run(state, remote, who, queries, records, "hashes")
    else:
        results = await run_in_threadpool(run, state, remote, who, queries, records, "hashes")
    return {
        "results": [
            {"signal_type": q.signal_type, "value": q.value, **result_json(r)}
            for q, r in zip(queries, results, strict=True)
        ]
    }
