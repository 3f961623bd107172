"""Webhooks against a real HTTP server on localhost, started by the test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kpi_cli.notify import Delivery, payload, send, webhook_url


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


@pytest.fixture
def hook_with() -> Iterator[type[Hook]]:
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


def test_success_on_the_first_attempt(hook_with: type[Hook]) -> None:
    hook = hook_with([(200, 0)])
    delivery = send(hook.url, payload("*KGI* off track"), sleep=lambda _: None)
    assert delivery == Delivery(True, 1, 200)
    assert hook.bodies == [{"text": "*KGI* off track"}]


def test_a_500_then_success_is_retried(hook_with: type[Hook]) -> None:
    hook = hook_with([(500, 0), (200, 0)])
    waits: list[float] = []
    delivery = send(hook.url, payload("x"), backoff=0.25, sleep=waits.append)
    assert delivery == Delivery(True, 2, 200)
    assert waits == [0.25] and len(hook.bodies) == 2


def test_a_timeout_is_retried_then_reported(hook_with: type[Hook]) -> None:
    hook = hook_with([(200, 0.6)])
    delivery = send(hook.url, payload("x"), timeout=0.2, retries=1, backoff=0, sleep=lambda _: None)
    assert delivery == Delivery(False, 2, None, "no answer within 0.2 s")
    assert len(hook.bodies) == 2


def test_a_client_error_is_not_repeated(hook_with: type[Hook]) -> None:
    hook = hook_with([(404, 0)])
    delivery = send(hook.url, payload("x"), retries=3, sleep=lambda _: None)
    assert delivery == Delivery(False, 1, 404, "HTTP 404")


def test_nothing_listening_is_reported_without_the_url() -> None:
    delivery = send("http://127.0.0.1:9/secret-token", payload("x"), retries=0, timeout=1)
    assert not delivery.ok and delivery.error is not None and "secret" not in delivery.error


def test_the_url_comes_from_the_environment_only() -> None:
    assert webhook_url("SLACK_WEBHOOK_URL", {"SLACK_WEBHOOK_URL": " https://hooks.example/x "}) == (
        "https://hooks.example/x"
    )
    assert webhook_url("SLACK_WEBHOOK_URL", {}) is None
