"""The rule engine: small independent rules behind one interface, registered by name.

A rule is a module with `NAME` and `evaluate(ctx: RuleContext) -> list[Finding]`. Adding a rule is
one new module, one line here, and its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from kpi_cli.findings import Finding
from kpi_cli.rules import funnel_bottleneck, lint, pace, pivot_deadline, stalled
from kpi_cli.rules.context import RuleContext

_MODULES: tuple[ModuleType, ...] = (lint, pace, stalled, pivot_deadline, funnel_bottleneck)
RULES: dict[str, Callable[[RuleContext], list[Finding]]] = {m.NAME: m.evaluate for m in _MODULES}


def run_rules(ctx: RuleContext) -> list[Finding]:
    return [finding for evaluate in RULES.values() for finding in evaluate(ctx)]


__all__ = ["RULES", "RuleContext", "run_rules"]
