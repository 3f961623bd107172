"""Checks that need the whole config: a pace curve against the months of the span it paces,
milestones against their span. Each problem is one line naming the key's file:line.

A curve shorter than its span used to be padded with zero weights, an empty or all-zero curve
divided by a made-up 1.0, and a negative weight made the expected share run backwards; each gave
a confident verdict about a plan nobody wrote. Settings are read through `RuleTable.settings("pace")` of `defaults:`,
`kgi.rules` and each `kpi.rules`, whichever module defines the rule models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kpi_cli.config.models import Config
from kpi_cli.metrics import periods

Loc = tuple[str | int, ...]
Where = Callable[[Loc], str]


@dataclass(frozen=True)
class _Paced:
    """One thing paced over a span (the KGI, a cumulative KPI) and where its settings are written."""

    what: str
    start: dt.date
    deadline: dt.date
    own: Any  # its own pace settings, or None
    own_loc: Loc


def check(config: Config, where: Where) -> list[str]:
    problems: list[str] = []
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
    return list(dict.fromkeys(problems))  # a default shared by several spans: say it once per span


def _paced(config: Config) -> list[_Paced]:
    kgi = config.kgi
    found = [_Paced("the KGI", kgi.start, kgi.deadline, kgi.rules.settings("pace"), ("kgi", "rules", "pace"))]
    for index, kpi in enumerate(config.kpis):
        own = kpi.rules.settings("pace")
        # Only a cumulative KPI is paced over a span; a monthly KPI is judged within its month.
        if kpi.cumulative:
            start, deadline = kpi.start or kgi.start, kpi.deadline or kgi.deadline
            found.append(_Paced(f"KPI '{kpi.id}'", start, deadline, own, ("kpis", index, "rules", "pace")))
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


def _leak_problem(leaking: list[_Paced], loc: Loc, where: Where) -> str:
    names = ", ".join(p.what for p in leaking)
    return (
        f"invalid value for '{_dotted(loc)}' at {where(loc)}: milestones are targets in one number's own "
        f"units and would also pace {names}; put them under kgi.rules.pace (or each KPI's rules.pace), "
        "or give each cumulative KPI its own milestones ([] for a straight line)"
    )


def _has(settings: Any, name: str) -> bool:
    return settings is not None and getattr(settings, name, None) is not None


def _get(settings: Any, name: str) -> Any:
    return getattr(settings, name, None) if settings is not None else None


def _curve(curve: Sequence[float], paced: _Paced, loc: Loc, where: Where) -> list[str]:
    at = f"invalid value for '{_dotted(loc)}' at {where(loc)}"
    months = len(periods.periods_between(paced.start, paced.deadline, "month"))
    span = f"{paced.start.isoformat()}..{paced.deadline.isoformat()}"
    if not curve:
        return [f"{at}: the curve is empty; give one weight per month of {paced.what} ({months} for {span})"]
    problems = []
    negative = [i + 1 for i, w in enumerate(curve) if w < 0]
    if negative:
        problems.append(f"{at}: weights must not be negative (month {', '.join(map(str, negative))})")
    elif not any(curve):
        problems.append(f"{at}: every weight is zero; at least one month must carry the target")
    if len(curve) != months:
        problems.append(
            f"{at}: {len(curve)} weight{'s' if len(curve) != 1 else ''} for the {months} month"
            f"{'s' if months != 1 else ''} of {paced.what} ({span}); give one weight per month"
        )
    return problems


def _milestones(milestones: Sequence[Any], paced: _Paced, loc: Loc, where: Where) -> list[str]:
    problems = []
    span = f"{paced.start.isoformat()}..{paced.deadline.isoformat()}"
    previous: Any = None
    for index, milestone in enumerate(milestones):
        here = (*loc, index)
        at = f"invalid value for '{_dotted(here)}' at {where(here)}"
        day = milestone.date
        if not paced.start < day < paced.deadline:
            problems.append(
                f"{at}: {day.isoformat()} is outside {paced.what}'s span {span} "
                "(the start and the deadline are implied)"
            )
        if previous is not None and day <= previous.date:
            problems.append(f"{at}: {day.isoformat()} does not come after {previous.date.isoformat()}")
        elif previous is not None and milestone.target < previous.target:
            problems.append(
                f"{at}: target {milestone.target:g} is below the one before ({previous.target:g})"
            )
        previous = milestone
    return problems


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
