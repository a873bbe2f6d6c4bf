"""Serving a contract stand-in on 127.0.0.1 for the length of a ``with`` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], state: object, path: str = "") -> Iterator[str]:
    """Serve ``handler`` bound to ``state`` (as its ``state`` attribute) on a free port; yields
    the base URL ``http://127.0.0.1:PORT`` + ``path``."""
    bound = type("BoundHandler", (handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), bound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
