"""A real HTTP server on 127.0.0.1 for the HTTP client's socket-level tests (no internet needed).

``ThreadingHTTPServer`` on port 0 (the OS picks a free port) in a daemon thread, started per test by
the ``local_server`` fixture and shut down at teardown. Each route misbehaves the way real services
do; routes that fail "the first N times" count per path (``?fail=N`` sets N), so every test starts
from a fresh server and fresh counters.

Routes: ``/ok`` (JSON), ``/429`` (429 with ``Retry-After: 1`` the first N times), ``/500-then-ok``,
``/slow`` (answers after ``SLOW_SECONDS``, longer than the tests' client timeout), ``/truncated``
(Content-Length larger than the body, then closes; ``?fail=N`` recovers after N), ``/malformed``
(invalid JSON with 200), ``/robots.txt`` (disallows ``/private``), ``/private``, ``/etag`` (200 with
an ETag, then 304 on a matching ``If-None-Match``).
"""

from __future__ import annotations

import json
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

#: how long /slow takes to answer; the tests' client timeout is well below it
SLOW_SECONDS = 1.0
ETAG = '"v1-abc"'
ROBOTS = "User-agent: *\nDisallow: /private\n"


@dataclass
class ServerState:
    """What the server saw: hits per path and request headers per hit (for assertions)."""

    hits: Counter[str] = field(default_factory=Counter)
    headers: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output quiet
        pass

    def _send(
        self, status: int, body: bytes, ctype: str = "application/json", **extra: str
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        state = self.server.state
        parts = urlsplit(self.path)
        path = parts.path
        fail = int(parse_qs(parts.query).get("fail", ["2"])[0])
        with state.lock:
            state.hits[path] += 1
            hit = state.hits[path]
            state.headers.append((path, {k.lower(): v for k, v in self.headers.items()}))
        ok = json.dumps({"ok": True, "path": path, "hit": hit}).encode()

        if path == "/ok":
            self._send(200, ok)
        elif path == "/429":
            if hit <= fail:
                self._send(429, b'{"error": "slow down"}', Retry_After="1")
            else:
                self._send(200, ok)
        elif path == "/500-then-ok":
            if hit <= fail:
                self._send(500, b"internal error", "text/plain")
            else:
                self._send(200, ok)
        elif path == "/slow":
            # sleep in small steps, bounded, so teardown never waits long for this thread
            for _ in range(int(SLOW_SECONDS / 0.05)):
                if state.stop.wait(0.05):
                    break
            self._send(200, ok)
        elif path == "/truncated":
            if hit <= fail:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(b'{"ok": tr')
                self.close_connection = True
            else:
                self._send(200, ok)
        elif path == "/malformed":
            self._send(200, b'{"jobs": [{"id": 1,, }')
        elif path == "/robots.txt":
            self._send(200, ROBOTS.encode(), "text/plain")
        elif path in ("/private", "/public"):
            self._send(200, b"<html><body>page</body></html>", "text/html")
        elif path == "/etag":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
            else:
                self._send(200, ok, ETag=ETAG, Cache_Control="no-cache")
        else:
            self._send(404, b'{"error": "not found"}')


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = ServerState()

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet when a client hangs up first (the timeout test does it on purpose)."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class LocalServer:
    """A running server: ``url(path)`` builds addresses, ``state`` holds what it saw."""

    base: str
    state: ServerState

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A fresh server per test on a free port; shut down (bounded) at teardown."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield LocalServer(f"http://{host!s}:{port}", server.state)
    finally:
        server.state.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
