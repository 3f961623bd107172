"""Webhooks against a real HTTP server on localhost, started by the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kpi_cli.notify import Delivery, payload, send, webhook_url
from tests.webhooks import Hook, started_hooks


@pytest.fixture
def hook_with() -> Iterator[type[Hook]]:
    yield from started_hooks()


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
