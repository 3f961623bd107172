"""What a rule is: one module holding its settings, where they are accepted, its codes and `evaluate`.

Modelled on ruff's one-rule-one-module layout: everything about a rule sits beside its code, and
the registry (`kpi_cli.rules.registry.RULES`) is the one list config validation, snooze names,
the README table check and the tests derive from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from pydantic import BaseModel, Field

from kpi_cli.config.base import Days, Strict
from kpi_cli.config.types import Count

if TYPE_CHECKING:
    from kpi_cli.config.base import RuleTable
    from kpi_cli.config.models import Config
    from kpi_cli.findings import Finding
    from kpi_cli.rules.context import RuleContext

M = TypeVar("M", bound=BaseModel)


class Scope(StrEnum):
    """Where a rule's settings may be written in the config."""

    DEFAULTS = "defaults"  # top-level `defaults:`, for every KPI (and the KGI where the rule reads it)
    KPI = "kpi"  # a KPI's own `rules:`
    KGI = "kgi"  # `kgi.rules:`


class AlertSettings(Strict):
    """How a rule's findings alert across runs (kpi_cli.runs), accepted on every rule.

    `for_runs`: a finding is held as pending until its condition held on this many consecutive
    runs (anti-flap, as Prometheus' `for:`). `repeat_every`: an ongoing finding is notified again
    after this many days (`7d`, `2w`); unset, only when it is new or resolved.
    """

    for_runs: Count = Field(1, ge=1, le=1000)
    repeat_every: Days | None = Field(None, ge=1)


class RuleSettings(AlertSettings):
    """Every rule with settings can be switched off."""

    enabled: bool = True


class Rule(Protocol):
    """The interface the registry is typed by (a module-level `RULE` object satisfies it)."""

    @property
    def name(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def codes(self) -> type[StrEnum]: ...

    @property
    def settings(self) -> Mapping[Scope, type[RuleSettings]]: ...

    @property
    def messages(self) -> Mapping[str, Mapping[str, str]]: ...

    def evaluate(self, ctx: RuleContext) -> list[Finding]: ...


@dataclass(frozen=True)
class RuleSpec:
    """The plain implementation of `Rule` each rule module declares as `RULE`.

    `settings` maps each scope the rule reads to the model accepted there; a scope left out is
    one where the rule's settings would have no effect, so the config loader refuses them.
    """

    name: str
    summary: str
    codes: type[StrEnum]
    run: Callable[[RuleContext], list[Finding]]
    settings: Mapping[Scope, type[RuleSettings]] = field(default_factory=dict)
    # Wording a rule brings along (language -> key -> template), merged into the catalogs when it is
    # registered; the built-in rules keep theirs in kpi_cli/i18n/*.yaml with the other words.
    messages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def evaluate(self, ctx: RuleContext) -> list[Finding]:
        return self.run(ctx)


_NOT_ASKED = object()  # PerTable before its first question (None is a table: no `rules:`)


class PerTable(Generic[M]):
    """`rule_settings` of one rule for every view of a review, merged and validated once per table.

    Every view of a KPI (10,000 under `--by campaign`) carries that KPI's own `rules:` table (its
    copies share it), so asking per view merged and validated the same settings 40,000 times per
    rule (2.4 s of a 30 s run). The memo holds each table it saw, so an id is never reused. A KPI's
    views come one after another, so the table asked last is answered first, by identity alone:
    a rule can ask for every view without caching the settings itself.
    """

    def __init__(self, config: Config, name: str, model: type[M]) -> None:
        self._config, self._name, self._model = config, name, model
        self._seen: dict[int, tuple[RuleTable | None, M]] = {}
        self._last: tuple[object, M | None] = (_NOT_ASKED, None)

    def __call__(self, own: RuleTable | None) -> M:
        last, settings = self._last
        if own is last and settings is not None:
            return settings
        hit = self._seen.get(id(own))
        if hit is None or hit[0] is not own:
            from kpi_cli.config.settings import rule_settings  # config.models loads the rules

            hit = (own, rule_settings(self._config, own, self._name, self._model))
            self._seen[id(own)] = hit
        self._last = hit
        return hit[1]
