"""Which reads the columnar path took: one spy for every columnar test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from kpi_cli.sources import columnar, columnar_sql


@contextmanager
def columnar_reads() -> Iterator[list[bool]]:
    """Within the block, each `columnar.read` appends whether DuckDB read the file (not None)."""
    taken: list[bool] = []
    original = columnar.read

    def spy(*args: object, **options: object) -> columnar.Read | None:
        found = original(*args, **options)  # type: ignore[arg-type]
        taken.append(found is not None)
        return found

    columnar.read = spy  # type: ignore[assignment]
    try:
        yield taken
    finally:
        columnar.read = original  # type: ignore[assignment]


def grouped_scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which grouped scans run from now on, in order: `by_labels` (distinct labels) or `grouped`
    (each row looked at for a summary)."""
    ran: list[str] = []
    for name in ("by_labels", "grouped"):
        real = getattr(columnar_sql, name)

        def spy(scan: columnar_sql.Scan, real: Any = real, name: str = name) -> str:
            ran.append(name)
            return str(real(scan))

        monkeypatch.setattr(columnar_sql, name, spy)
    return ran
