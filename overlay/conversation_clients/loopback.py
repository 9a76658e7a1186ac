"""Serve a plain ``httpx.Request -> httpx.Response`` function over real HTTP on loopback.

The same handler can run in-process (``httpx.MockTransport(handler)``) or behind a real
socket with :func:`serve`, so tests and the sandbox exercise the clients' whole network path
(connection pooling, timeouts, dropped connections) without leaving the machine.

>>> def hello(request: httpx.Request) -> httpx.Response:
...     return httpx.Response(200, json={"path": request.url.path})
>>> with serve(hello) as base_url:
...     httpx.get(f"{base_url}/ping").json()
{'path': '/ping'}
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Generator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import cast

import httpx

__all__ = ["DropConnection", "Handler", "serve"]

Handler = Callable[[httpx.Request], httpx.Response]


class DropConnection(Exception):
    """Raise from a handler to close the connection without sending any response."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog is 5: a client opening 20 connections at once (a fan-out
    # over workspaces) had its extra connection attempts dropped, retried only a second later.
    request_queue_size = socket.SOMAXCONN
    handler: Handler

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that closes its connection (a listing left while its next page was on the
        # way) is normal for a server, not an error worth a traceback on stderr.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]  # typeshed: private aliases


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real APIs serve
    # headers and body go out as two writes; with Nagle on, the second waits for a delayed ACK (~40 ms)
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        server = cast(_Server, self.server)  # serve() only ever pairs this handler with a _Server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host, port = server.server_address[:2]
        request = httpx.Request(
            self.command,
            f"http://{host!s}:{port}{self.path}",
            headers=list(self.headers.items()),
            content=body,
        )
        try:
            response = server.handler(request)
        except DropConnection:
            self.close_connection = True
            return
        # the bytes as encoded (a handler may send Content-Encoding), not as httpx would decode them
        stream = response.stream
        content = b"".join(stream) if isinstance(stream, httpx.SyncByteStream) else response.read()
        self.send_response_only(response.status_code, response.reason_phrase or None)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _answer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        """Stay quiet: request lines could carry tokens, and tests read stderr."""


@contextmanager
def serve(handler: Handler, *, host: str = "127.0.0.1", port: int = 0) -> Generator[str, None, None]:
    """Serve ``handler`` on ``host:port`` (0 picks a free port) and yield the base URL.

    The server stops when the block exits.
    """
    server = _Server((host, port), _RequestHandler)
    server.handler = handler
    # a short poll interval: shutdown() waits for the serving loop to notice, up to one interval
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="loopback-server", daemon=True
    )
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield f"http://{bound_host!s}:{bound_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
