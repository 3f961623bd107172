"""Shared helpers: fixture paths and `inspect`, which reads a fixture through the public API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kpi_cli.commands.inspect import describe
from kpi_cli.sources import read_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"

Inspect = Callable[..., dict[str, object]]


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def inspect() -> Inspect:
    """`inspect("x/file.csv", platform=...)`: the `kpi inspect --format json` report of a fixture."""

    def run(relative: str, **options: object) -> dict[str, object]:
        return describe(read_export(FIXTURES / relative, **options))  # type: ignore[arg-type]

    return run
