"""Sources: every export, whatever its platform, becomes one canonical frame (see canonical.py)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kpi_cli.sources.export import Export, Skipped
from kpi_cli.sources.generic import read_generic


def read_export(
    path: Path,
    *,
    platform: str = "auto",
    columns: Mapping[str, str] | None = None,
    encoding: str | None = None,
    profiles_dir: Path | None = None,
) -> Export:
    """Read one export file into the canonical frame. Raises DataError on anything unreadable."""
    return read_generic(path, columns)


__all__ = ["Export", "Skipped", "read_export"]
