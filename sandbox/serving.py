"""What every sandbox process shares: a threaded WSGI server on loopback that logs one short line per request,
announces its address on the first line of stdout (tests start it with ``--port 0`` and read the port there),
and stops cleanly on SIGTERM or Ctrl-C."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from types import FrameType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # Bursts (a batch of transfers, a test's concurrent requests) queue rather than being refused.
    request_queue_size = 64


def _quiet_handler(name: str) -> type[WSGIRequestHandler]:
    class QuietHandler(WSGIRequestHandler):
        """One short line per request on stderr, without wsgiref's reverse DNS look-up."""

        def address_string(self) -> str:
            return str(self.client_address[0])

        def log_message(self, format: str, *args: object) -> None:
            sys.stderr.write(f"{name} {self.address_string()} {format % args}\n")

    return QuietHandler


def make_sandbox_server(name: str, host: str, port: int, app: WSGIApp) -> ThreadingWSGIServer:
    server = make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=_quiet_handler(name))
    assert isinstance(server, ThreadingWSGIServer)
    return server


def announce(server: WSGIServer, name: str, detail: str = "") -> None:
    """The first line of stdout, read by whoever started the process."""
    host = server.server_address[0]
    host = host.decode() if isinstance(host, bytes) else str(host)
    line = f"{name} listening on http://{host}:{server.server_port}/"
    print(f"{line} {detail}".rstrip(), flush=True)  # noqa: T201 - read by the starter


def serve_until_stopped(server: WSGIServer, on_stop: Callable[[], None] | None = None) -> None:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if on_stop is not None:
            on_stop()
        server.server_close()
