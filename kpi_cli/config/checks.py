"""Checks that need the whole config: a pace curve against the months of the span it paces,
milestones against their span. Each problem is one line naming the key's file:line.

A curve shorter than its span used to be padded with zero weights, an empty or all-zero curve
divided by a made-up 1.0, and a negative weight made the expected share run backwards; each gave
a confident verdict about a plan nobody wrote. Each problem is a `Wording` (catalog part
`errors`), so it reads in the user's language; its English text is a contract. Settings are read
through `RuleTable.settings("pace")` of `defaults:`, `kgi.rules` and each `kpi.rules`, whichever
module defines the rule models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kpi_cli.config.models import Config
from kpi_cli.i18n import Lang, Wording, render

Loc = tuple[str | int, ...]
Where = Callable[[Loc], str]


@dataclass(frozen=True)
class _Paced:
    """One thing paced over a span (the KGI, a cumulative KPI) and where its settings are written."""

    what: Wording
    start: dt.date
    deadline: dt.date
    own: Any  # its own pace settings, or None
    own_loc: Loc


def check(config: Config, where: Where) -> list[Wording]:
    problems: list[Wording] = []
    defaults = config.defaults.settings("pace")
    default_loc: Loc = ("defaults", "pace")
    leaking = _leaking_milestones(config, defaults)
    if leaking:
        problems.append(_leak_problem(leaking, (*default_loc, "milestones"), where))
    for paced in _paced(config):
        if paced in leaking:
            continue  # refused above: its milestones are not its own
        curve_at = paced.own_loc if _has(paced.own, "curve") else default_loc
        curve = _get(paced.own, "curve") if _has(paced.own, "curve") else _get(defaults, "curve")
        if curve is not None:
            problems += _curve(curve, paced, (*curve_at, "curve"), where)
        milestones_at = paced.own_loc if _has(paced.own, "milestones") else default_loc
        milestones = (
            _get(paced.own, "milestones") if _has(paced.own, "milestones") else _get(defaults, "milestones")
        )
        if milestones is not None:
            problems += _milestones(milestones, paced, (*milestones_at, "milestones"), where)
    # A default shared by several spans: say it once per span.
    unique: dict[str, Wording] = {}
    for problem in problems:
        unique.setdefault(render(problem, Lang.EN), problem)
    return list(unique.values())


def _paced(config: Config) -> list[_Paced]:
    kgi = config.kgi
    found = [
        _Paced(
            Wording("error.paced.kgi"),
            kgi.start,
            kgi.deadline,
            kgi.rules.settings("pace"),
            ("kgi", "rules", "pace"),
        )
    ]
    for index, kpi in enumerate(config.kpis):
        own = kpi.rules.settings("pace")
        # Only a cumulative KPI is paced over a span; a monthly KPI is judged within its month.
        if kpi.cumulative:
            start, deadline = kpi.start or kgi.start, kpi.deadline or kgi.deadline
            found.append(
                _Paced(
                    Wording("error.paced.kpi", {"kpi": kpi.id}),
                    start,
                    deadline,
                    own,
                    ("kpis", index, "rules", "pace"),
                )
            )
    return found


def _leaking_milestones(config: Config, defaults: Any) -> list[_Paced]:
    """Cumulative KPIs that would take `defaults:` milestones as their own.

    Milestones are dated targets in one number's units (revenue 30,000,000 by June): under
    `defaults:` they also paced every cumulative KPI without its own (leads judged against the
    revenue milestones), which no config means. A KGI alone may take them from `defaults:`.
    """
    if not _has(defaults, "milestones"):
        return []
    return [p for p in _paced(config)[1:] if not _has(p.own, "milestones")]


def _leak_problem(leaking: list[_Paced], loc: Loc, where: Where) -> Wording:
    said = Wording("error.check.milestones_leak", {"names": [p.what for p in leaking]})
    return _invalid(loc, where, said)


def _invalid(loc: Loc, where: Where, problem: Wording) -> Wording:
    """`invalid value for '<key>' at <file:line>: <problem>`, the loader's own shape."""
    return Wording("error.config.invalid", {"key": _dotted(loc), "where": where(loc), "expected": problem})


def _has(settings: Any, name: str) -> bool:
    return settings is not None and getattr(settings, name, None) is not None


def _get(settings: Any, name: str) -> Any:
    return getattr(settings, name, None) if settings is not None else None


def _curve(curve: Sequence[float], paced: _Paced, loc: Loc, where: Where) -> list[Wording]:
    # Here, not at the top: metrics.periods imports pandas (~0.4 s), and only a config with a
    # pacing curve needs it for these checks (the rule modules the config loads still import it).
    from kpi_cli.metrics import periods

    months = len(periods.periods_between(paced.start, paced.deadline, "month"))
    span = f"{paced.start.isoformat()}..{paced.deadline.isoformat()}"
    if not curve:
        said = Wording("error.check.curve.empty", {"what": paced.what, "months": months, "span": span})
        return [_invalid(loc, where, said)]
    problems = []
    negative = [i + 1 for i, w in enumerate(curve) if w < 0]
    if negative:
        problems.append(Wording("error.check.curve.negative", {"months": negative}))
    elif not any(curve):
        problems.append(Wording("error.check.curve.all_zero"))
    if len(curve) != months:
        weights = Wording("error.check.weights", {"n": len(curve)})
        spanned = Wording("error.check.months", {"n": months})
        length = {"weights": weights, "months": spanned, "what": paced.what, "span": span}
        problems.append(Wording("error.check.curve.length", length))
    return [_invalid(loc, where, problem) for problem in problems]


def _milestones(milestones: Sequence[Any], paced: _Paced, loc: Loc, where: Where) -> list[Wording]:
    problems = []
    span = f"{paced.start.isoformat()}..{paced.deadline.isoformat()}"
    previous: Any = None
    for index, milestone in enumerate(milestones):
        here = (*loc, index)
        day = milestone.date
        # Dates ISO and targets `:g` as written in the config, in either language.
        if not paced.start < day < paced.deadline:
            said = {"day": day.isoformat(), "what": paced.what, "span": span}
            problems.append(_invalid(here, where, Wording("error.check.milestone.outside", said)))
        if previous is not None and day <= previous.date:
            said = {"day": day.isoformat(), "previous": previous.date.isoformat()}
            problems.append(_invalid(here, where, Wording("error.check.milestone.order", said)))
        elif previous is not None and milestone.target < previous.target:
            said = {"target": f"{milestone.target:g}", "previous": f"{previous.target:g}"}
            problems.append(_invalid(here, where, Wording("error.check.milestone.below", said)))
        previous = milestone
    return problems


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
