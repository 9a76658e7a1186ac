"""Serve a plain ``httpx.Request -> httpx.Response`` function over real HTTP on loopback.

The same handler can run in-process (``httpx.MockTransport(handler)``) or behind a real
socket with :func:`serve`, so tests and the sandbox exercise the clients' whole network path
(connection pooling, timeouts, dropped connections) without leaving the machine.

Every method goes to the handler, whatever its name (http.server alone would answer 501 to a
method it has no ``do_`` function for), and a HEAD response goes out without its body but with the
Content-Length the handler gave it. A request-target that is not a path (``OPTIONS *``, ``CONNECT
host:port``) gets a plain 400, since it names no URL to hand to the handler.

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
from typing import Final, cast
from urllib.parse import urlsplit

import httpx

__all__ = ["DropConnection", "Handler", "serve"]

Handler = Callable[[httpx.Request], httpx.Response]

#: How long stopping a server may take: the serving loop notices within a poll interval, and a
#: loop that does not (it never has) is left behind, a daemon thread, rather than waited on for ever.
STOP_TIMEOUT: Final = 5.0


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

    def __getattr__(self, name: str) -> Callable[[], None]:
        # http.server runs do_<METHOD> and answers 501 when there is none: send every method,
        # whatever its name, to the handler, which knows what the API answers (405 with Allow...)
        if name.startswith("do_"):
            return self._answer
        raise AttributeError(name)

    def _answer(self) -> None:
        server = cast(_Server, self.server)  # serve() only ever pairs this handler with a _Server
        length_text = self.headers.get("Content-Length") or "0"
        path = _origin_form(self.path)
        if path is None or not (length_text.isascii() and length_text.isdigit()):
            self._send_plain_error(400, "Bad Request")
            return
        # a chunked body is not read here: what is left of it must not be taken for the next request
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
        length = int(length_text)
        body = self.rfile.read(length) if length else b""
        host, port = server.server_address[:2]
        request = httpx.Request(
            self.command,
            f"http://{host!s}:{port}{path}",
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
        content_length = str(len(content))
        if self.command == "HEAD":
            # a HEAD answer may tell the length of the body a GET would get, without sending it
            content_length = response.headers.get("Content-Length", content_length)
        self.send_response_only(response.status_code, response.reason_phrase or None)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", content_length)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def _send_plain_error(self, status_code: int, text: str) -> None:
        content = f"{text}\n".encode()
        self.close_connection = True
        self.send_response_only(status_code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        """Stay quiet: request lines could carry tokens, and tests read stderr."""


def _origin_form(target: str) -> str | None:
    """The path and query a request-target names, or None for one that names no URL.

    >>> _origin_form("/a?b=1"), _origin_form("http://api.example/a?b=1"), _origin_form("*")
    ('/a?b=1', '/a?b=1', None)
    """
    if target.startswith("/"):
        return target
    parts = urlsplit(target)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:  # absolute-form, as sent to a proxy
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return None


def _stop(server: _Server, thread: threading.Thread) -> None:
    # shutdown() waits without a timeout for serve_forever to notice; ask it from another thread
    # and wait a bounded time, so that nothing (a signal handler's caller above all) can hang here
    stopper = threading.Thread(target=server.shutdown, name="loopback-server-stop", daemon=True)
    stopper.start()
    stopper.join(timeout=STOP_TIMEOUT)
    server.server_close()
    thread.join(timeout=STOP_TIMEOUT)


@contextmanager
def serve(handler: Handler, *, host: str = "127.0.0.1", port: int = 0) -> Generator[str, None, None]:
    """Serve ``handler`` on ``host:port`` (0 picks a free port) and yield the base URL.

    The server stops when the block exits, within :data:`STOP_TIMEOUT` seconds; requests still
    being answered then are left to their (daemon) threads.
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
        _stop(server, thread)
