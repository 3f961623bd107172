"""Names that must refer to something: metrics, KPI ids in snooze/checkins/decisions, rule names."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum

from kpi_cli.config.models import Config
from kpi_cli.errors import ConfigError
from kpi_cli.i18n import Wording
from kpi_cli.i18n.values import Term
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.sources.canonical import DIMENSIONS, METRICS

Locate = Callable[[tuple[str | int, ...]], str]


class Kind(StrEnum):
    """What a name refers to; worded as `ref.kind.<value>` in the catalogs."""

    METRIC = "metric"
    SOURCE = "source"
    RULE = "rule"
    KPI = "kpi"
    COLUMN = "column"


Ref = tuple[tuple[str | int, ...], str | None, Iterable[str], Kind]


def check(config: Config, catalog: Catalog, locate: Locate) -> None:
    """Raise ConfigError for the first name that refers to nothing, with where it is and a suggestion."""
    for loc, name, valid, kind in _references(config, catalog):
        choices = list(valid)
        if name is not None and name not in choices:
            raise ConfigError(worded=[_message(kind, name, loc, choices, locate)])


def _references(config: Config, catalog: Catalog) -> Iterator[Ref]:
    metrics = [*METRICS, *catalog.formulas]
    kpi_ids = [k.id for k in config.kpis]
    yield ("kgi", "metric"), config.kgi.metric, metrics, Kind.METRIC
    sources = [s.name for s in config.sources]
    for i, kpi in enumerate(config.kpis):
        yield ("kpis", i, "metric"), kpi.metric, metrics, Kind.METRIC
        named = kpi.where.get("source", [])
        for name in [named] if isinstance(named, str) else named:
            yield ("kpis", i, "where", "source"), name, sources, Kind.SOURCE
    for i, stage in enumerate(config.funnel.stages if config.funnel else []):
        yield ("funnel", "stages", i, "metric"), stage.metric, metrics, Kind.METRIC
        named = stage.where.get("source", [])
        for name in [named] if isinstance(named, str) else named:
            yield ("funnel", "stages", i, "where", "source"), name, sources, Kind.SOURCE
    # Imported here: the registry imports the rule modules, which import the config package.
    from kpi_cli.rules.registry import RULES

    for i, snooze in enumerate(config.snooze):
        yield ("snooze", i, "rule"), snooze.rule, list(RULES), Kind.RULE
        yield ("snooze", i, "kpi"), snooze.kpi, kpi_ids, Kind.KPI
    for i, checkin in enumerate(config.checkins):
        yield ("checkins", i, "kpi"), checkin.kpi, kpi_ids, Kind.KPI
    for i, decision in enumerate(config.decisions):
        yield ("decisions", i, "kpi"), decision.kpi, kpi_ids, Kind.KPI
    for i, source in enumerate(config.sources):
        for canonical in source.columns:
            yield (
                ("sources", i, "columns", canonical),
                canonical,
                [*METRICS, *DIMENSIONS],
                Kind.COLUMN,
            )


def _message(
    kind: Kind, name: str, loc: tuple[str | int, ...], choices: list[str], locate: Locate
) -> Wording:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    said = {"kind": Term(f"ref.kind.{kind.value}"), "name": name, "where": locate(loc)}
    if close:
        return Wording("error.ref.unknown.close", {**said, "close": close[0]})
    return Wording("error.ref.unknown", said)
