"""The rule engine: small independent rules behind one interface, registered by name.

A rule is a module with `NAME` and `evaluate(ctx: RuleContext) -> list[Finding]`. Adding a rule is
one new module, one line here, and its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from kpi_cli.findings import Finding
from kpi_cli.rules import (
    drop,
    forecast,
    freshness,
    funnel_bottleneck,
    lint,
    pace,
    pivot_deadline,
    stalled,
    threshold,
)
from kpi_cli.rules.context import RuleContext

_MODULES: tuple[ModuleType, ...] = (
    lint,
    freshness,
    pace,
    forecast,
    stalled,
    drop,
    threshold,
    pivot_deadline,
    funnel_bottleneck,
)
RULES: dict[str, Callable[[RuleContext], list[Finding]]] = {m.NAME: m.evaluate for m in _MODULES}


def run_rules(ctx: RuleContext) -> list[Finding]:
    return [finding for evaluate in RULES.values() for finding in evaluate(ctx)]


__all__ = ["RULES", "RuleContext", "run_rules"]
