"""Shared helpers: fixture paths and `inspect`, which reads a fixture through the public API."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.commands.inspect import describe
from kpi_cli.sources import read_export

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"

Inspect = Callable[..., dict[str, object]]


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def inspect() -> Inspect:
    """`inspect("x/file.csv", platform=...)`: the `kpi inspect --format json` report of a fixture.

    Run through the CLI, so every profile test is also a test of the command; a `columns:` rename
    map exists only in a config, so that case reads through the library.
    """

    def run(relative: str, **options: object) -> dict[str, object]:
        if "columns" in options:
            return describe(read_export(FIXTURES / relative, **options))  # type: ignore[arg-type]
        args = ["inspect", str(FIXTURES / relative), "--format", "json"]
        args += ["--platform", str(options["platform"])] if "platform" in options else []
        args += ["--profiles", str(options["profiles_dir"])] if "profiles_dir" in options else []
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.stderr
        report: dict[str, object] = json.loads(result.stdout)
        return report

    return run
