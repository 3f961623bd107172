"""The one list of rules. Config validation, snooze names, the README table check and
the tests all read it; adding a rule is one module declaring `RULE` plus one line here.

It also builds the three rule tables of the config (`defaults:`, `kpis[].rules`, `kgi.rules`) from
the scopes each rule declares, so a setting that would have no effect is refused at load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import create_model

from kpi_cli.config import models
from kpi_cli.config.base import RuleTable
from kpi_cli.i18n.catalog import Lang, set_extra_messages
from kpi_cli.rules import (
    compare_flags,
    coverage,
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
from kpi_cli.rules.spec import AlertSettings, Rule, RuleSettings, Scope

if TYPE_CHECKING:
    from kpi_cli.findings import Finding
    from kpi_cli.rules.context import RuleContext

# Order is evaluation order, and so the order of findings of equal severity.
RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        lint.RULE,
        freshness.RULE,
        pace.RULE,
        forecast.RULE,
        stalled.RULE,
        drop.RULE,
        threshold.RULE,
        pivot_deadline.RULE,
        funnel_bottleneck.RULE,
        compare_flags.RULE,
        coverage.RULE,
    )
}

_FIELD_SCOPE = {"KgiConfig": Scope.KGI, "KpiConfig": Scope.KPI, "Config": Scope.DEFAULTS}
_TABLE_NAMES = {Scope.DEFAULTS: "DefaultsRules", Scope.KPI: "KpiRules", Scope.KGI: "KgiRules"}


def rule_table(scope: Scope, rules: dict[str, Rule]) -> type[RuleTable]:
    """The model of one scope's rule settings: an optional field per rule that accepts it there."""
    fields: dict[str, object] = {
        name: (model | None, None) for name, rule in rules.items() if (model := _model(rule, scope))
    }
    return create_model(_TABLE_NAMES[scope], __base__=RuleTable, **fields)  # type: ignore[call-overload, no-any-return]


def _model(rule: Rule, scope: Scope) -> type[RuleSettings] | type[AlertSettings] | None:
    """The rule's own settings where it has them; else, under `defaults:` and a KPI's `rules:`,
    the alert settings every rule takes (for_runs, repeat_every), declared once in spec.py."""
    own = rule.settings.get(scope)
    if own is not None or scope is Scope.KGI:
        return own
    return AlertSettings


def install(rules: dict[str, Rule]) -> None:
    """(Re)build the config's rule tables from `rules` and resolve them in the config models."""
    set_extra_messages(
        {
            lang: {k: v for rule in rules.values() for k, v in rule.messages.get(lang, {}).items()}
            for lang in Lang
        }
    )
    TABLES.clear()
    TABLES.update({_TABLE_NAMES[scope]: rule_table(scope, rules) for scope in Scope})
    # Set on the fields as well as in the namespace: a rebuild keeps an annotation already resolved.
    for model, field in (
        (models.KgiConfig, "rules"),
        (models.KpiConfig, "rules"),
        (models.Config, "defaults"),
    ):
        table = TABLES[_TABLE_NAMES[_FIELD_SCOPE[model.__name__]]]
        model.model_fields[field].annotation = table
        model.model_fields[field].default_factory = table
    for model in (models.KgiConfig, models.KpiConfig, models.Config):
        model.model_rebuild(force=True, _types_namespace=dict(TABLES))


TABLES: dict[str, type[RuleTable]] = {}
install(RULES)


def rule_names() -> list[str]:
    return list(RULES)


def all_codes() -> list[str]:
    return [str(code) for rule in RULES.values() for code in rule.codes]


def run_rules(ctx: RuleContext) -> list[Finding]:
    """Every registered rule on one context, in registry order (snoozes are applied after)."""
    return [finding for rule in RULES.values() for finding in rule.evaluate(ctx)]
