"""A webhook endpoint on localhost for the tests, answering as scripted."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Hook:
    """A webhook endpoint whose answers are scripted: a list of (status, delay) per request."""

    def __init__(self, script: list[tuple[int, float]]) -> None:
        self.script = script
        self.bodies: list[object] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                hook.bodies.append(json.loads(self.rfile.read(length)))
                status, delay = hook.script[min(len(hook.bodies), len(hook.script)) - 1]
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: that is the timeout case

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


def started_hooks() -> Iterator[type[Hook]]:
    """A Hook class whose instances serve at once; all are shut down when the generator ends."""
    started: list[Hook] = []

    class Started(Hook):
        def __init__(self, script: list[tuple[int, float]]) -> None:
            super().__init__(script)
            threading.Thread(target=self.server.serve_forever, daemon=True).start()
            started.append(self)

    yield Started
    for hook in started:
        hook.server.shutdown()
        hook.server.server_close()
