"""What every rule receives. Rules read it and return findings; they never print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Type-only: every rule module names RuleContext, and the config loads every rule module for
    # its settings; importing the computation here would load it (assess, ingest) before the scan.
    import pandas as pd

    from kpi_cli.assess import FunnelView, KgiView, KpiView
    from kpi_cli.config.models import Config
    from kpi_cli.ingest import SourceSpan
    from kpi_cli.metrics.dataset import Dataset


@dataclass(frozen=True)
class RuleContext:
    config: Config
    data: Dataset
    as_of: date
    month: pd.Period
    kgi: KgiView
    kpis: list[KpiView]
    funnel: FunnelView | None
    sources: list[SourceSpan]

    def overall(self) -> list[KpiView]:
        """One view per KPI over all segments (pivot decisions and lint are not per segment)."""
        return [v for v in self.kpis if v.segment is None]
