"""Fixtures for the warehouse tests: the PostgreSQL server that `.ci/postgres` starts."""

from __future__ import annotations

import os

import pytest

POSTGRES_ENV = "KPI_TEST_POSTGRES_URL"


@pytest.fixture
def postgres_url() -> str:
    """The test server's URL; without it (a local run outside .ci/run) the test is skipped."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: `source .ci/postgres` starts a local server and sets it")
    return url
