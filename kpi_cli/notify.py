"""Webhook notifications (Slack- and Teams-compatible): sent, retried, and never fatal.

A notification is a side effect of a run, not its verdict: whatever happens here, the stored
run and the gate's exit code stay as the evaluation made them. So `send` never raises; it
returns a `Delivery` the caller reports on stderr and in the history.

- The URL comes only from an environment variable (`url_env`), never from the config file,
  because webhook URLs are secrets and configs live in repositories. Messages never echo it.
- Retries: bounded, with exponential backoff, for what can pass (connection errors, timeouts,
  HTTP 429 and 5xx); a 4xx is the request's fault and is not repeated.
- Payload `{"text": markdown}` is what Slack incoming webhooks and Teams workflow webhooks
  both accept.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0  # seconds: a server asking for longer is not waited for


@dataclass(frozen=True)
class Delivery:
    """What became of one notification."""

    ok: bool
    attempts: int
    status: int | None = None
    error: str | None = None


def webhook_url(env_name: str, environ: Mapping[str, str] | None = None) -> str | None:
    value = (environ if environ is not None else os.environ).get(env_name, "").strip()
    return value or None


def payload(text: str) -> dict[str, Any]:
    return {"text": text}


def send(
    url: str,
    body: Mapping[str, Any],
    *,
    timeout: float = 5.0,
    retries: int = 2,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST `body` as JSON to `url`: at most 1 + `retries` attempts; never raises."""
    import httpx  # imported here: only runs that notify pay for it

    attempts = 0
    last: Delivery = Delivery(False, 0, error="not sent")
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        while attempts <= retries:
            attempts += 1
            wait = backoff * (2 ** (attempts - 1))
            try:
                response = client.post(url, json=dict(body))
            except httpx.TimeoutException:
                last = Delivery(False, attempts, error=f"no answer within {timeout:g} s")
            except httpx.HTTPError as exc:
                last = Delivery(False, attempts, error=f"cannot connect ({type(exc).__name__})")
            else:
                if response.is_success:
                    return Delivery(True, attempts, response.status_code)
                last = Delivery(False, attempts, response.status_code, f"HTTP {response.status_code}")
                if response.status_code not in RETRY_STATUSES:
                    return last
                wait = max(wait, _retry_after(response.headers.get("Retry-After")))
            if attempts <= retries:
                sleep(min(wait, MAX_RETRY_AFTER))
    return last


def _retry_after(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0  # an HTTP date: the exponential backoff stands in for it
