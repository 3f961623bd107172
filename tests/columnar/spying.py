"""Which reads the columnar path took: one spy for every columnar test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kpi_cli.sources import columnar


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
