"""Effective settings: a KPI's own `rules:` over the top-level `defaults:`, and recorded decisions."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from kpi_cli.config.base import RuleTable
from kpi_cli.config.models import Checkin, Config, Decision, KpiConfig

M = TypeVar("M", bound=BaseModel)


def rule_settings(config: Config, own: RuleTable | None, name: str, model: type[M]) -> M:
    """Field by field: what the KPI (or KGI) sets wins, then what `defaults:` sets, then the default.

    `own=None` reads `defaults:` alone (settings that only exist there, such as freshness.max_age).
    """
    merged: dict[str, Any] = {}
    for layer in (config.defaults, own):
        value = layer.settings(name) if layer is not None else None
        if value is not None:
            merged.update(value.model_dump(exclude_unset=True))
    # A scope's model may accept fewer keys than `defaults:` (freshness: max_age is per source).
    return model.model_validate({k: v for k, v in merged.items() if k in model.model_fields})


def latest_decision(config: Config, kpi_id: str, as_of: date) -> Decision | None:
    recorded = [d for d in config.decisions if d.kpi == kpi_id and d.date <= as_of]
    return max(recorded, key=lambda d: d.date, default=None)


def effective_kpi(config: Config, kpi: KpiConfig, as_of: date) -> KpiConfig:
    """A recorded pivot replaces the target and review date: the next cycle starts from it."""
    decision = latest_decision(config, kpi.id, as_of)
    if decision is None:
        return kpi
    changes: dict[str, Any] = {}
    if decision.new_target is not None:
        changes["target"] = decision.new_target
    if decision.new_review_by is not None:
        changes["review_by"] = decision.new_review_by
    return kpi.model_copy(update=changes)


def latest_checkin(config: Config, kpi_id: str, as_of: date) -> Checkin | None:
    """The owner's most recent confidence call on or before as_of."""
    recorded = [c for c in config.checkins if c.kpi == kpi_id and c.date <= as_of]
    return max(recorded, key=lambda c: c.date, default=None)
