"""Calibration harness: how often each rule cries wolf, and how often it finds what is there.

    python benchmarks/calibration.py [--mode app|stats|both] [--runs 2000] [--seed 2026]

Simulates KPIs from known processes (monthly counts with a gamma month-to-month level, i.e.
overdispersed Poisson; steady growth; a 30 % step drop; seasonality; volumes 3..600 a month; data
0..3 days behind as_of) and prints, per scenario and rule, the share of series given warn-or-fail
and fail.

- `app` mode runs each series through the app's public evaluation entry point (behind ONE
  adapter, `app_findings`), with the current rules: these are the figures users get today.
- `stats` mode runs the same series through kpi_cli.stats, as the rules will call it, and adds
  the forecast's measured 90 % range coverage.

Scenarios and what they should show ("Done when" of issue 9):
  on_target      target = the true mean, 15 % noise, 1 day lag, running month: drop, pace,
                 forecast fail <= 5 %, warn-or-fail <= 15 %
  on_target_lag  the same with 0..3 days of lag
  growth         +6 %/month, target twice the level: drop and stalled fire <= 5 %
  flat_half      flat at half the target, 8 months: stalled fires >= 50 %
  step_drop      400/month, the reviewed (complete) month 30 % down: one month alone cannot
                 reach 90 % at 15 % noise (about 45 %)
  step_drop_2    the step's second complete month under review: drop (with drop.sustained)
                 detects >= 90 %
Funnel (app mode, after the table): leads -> deals -> won with each stage converting at its
benchmark with binomial noise (any funnel_bottleneck finding should be <= 5 %), and with the first
stage at 70 % of its benchmark in the reviewed month (flagged most of the time at 1,000 leads).
The fast version (tests/stats/test_calibration_fast.py) runs the stats mode on a few hundred, and
the app mode on fewer.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kpi_cli.stats import forecast, pace, trend
from kpi_cli.stats.compare import Direction, compare_counts

VOLUMES = (3, 10, 30, 100, 300, 600)
FIRST_MONTH = pd.Period("2025-01", freq="M")
DROP_WARN, DROP_FAIL, ALPHA = 0.20, 0.40, 0.05  # the drop rule's defaults


@dataclass(frozen=True)
class Scenario:
    name: str
    history: int  # complete months before the reviewed one
    cv: float = 0.15  # month-to-month coefficient of variation of the level
    growth: float = 0.0  # per month
    step: float = 1.0  # level of the reviewed month against the trend (0.7: a 30 % drop)
    volumes: tuple[int, ...] = VOLUMES
    lags: tuple[int, ...] = (1,)
    target_factor: float = 1.0  # target / the reviewed month's expected level
    running: bool = True  # reviewed month in progress at as_of (else complete)
    seasonal: float = 0.0  # amplitude of a 12-month sine
    step_months: int = 1  # how many months at the end (the reviewed one included) the step lasts


SCENARIOS = (
    Scenario("on_target", history=6),
    Scenario("on_target_lag", history=6, lags=(0, 1, 2, 3)),
    Scenario("growth", history=8, growth=0.06, target_factor=2.0),
    Scenario("flat_half", history=8, target_factor=2.0),
    Scenario("flat_half_400", history=8, target_factor=2.0, volumes=(400,)),
    Scenario("step_drop", history=6, step=0.7, volumes=(400,), running=False),
    Scenario("step_drop_cv8", history=6, step=0.7, volumes=(400,), running=False, cv=0.08),
    # appended, not inserted: each scenario's seed is the base seed + its position
    Scenario("on_target_3", history=6, volumes=(3,)),
    Scenario("on_target_600", history=6, volumes=(600,)),
    # the step's second complete month under review: the sustained-shift test's case
    Scenario("step_drop_2", history=7, step=0.7, volumes=(400,), running=False, step_months=2),
)


@dataclass
class Case:
    """One simulated KPI: complete months, then the reviewed month as far as the data covers it."""

    history: list[float]
    history_days: list[float]
    month: pd.Period
    current: float  # events in the covered days of the reviewed month
    covered: int
    month_days: int
    as_of: date
    target: float
    volume: int
    extra: dict[str, Any] = field(default_factory=dict)


def simulate(s: Scenario, rng: np.random.Generator, index: int) -> Case:
    volume = s.volumes[index % len(s.volumes)]
    months = pd.period_range(FIRST_MONTH, periods=s.history + 1, freq="M")
    days = np.array([p.days_in_month for p in months], dtype=float)
    t = np.arange(s.history + 1)
    phase = rng.random()
    level = (
        volume / 30.4 * days * (1 + s.growth) ** t * (1 + s.seasonal * np.sin(2 * np.pi * (t / 12 + phase)))
    )
    level[len(level) - s.step_months :] *= s.step
    noise = rng.gamma(1 / s.cv**2, s.cv**2, len(t)) if s.cv > 0 else np.ones(len(t))
    counts = rng.poisson(level * noise).astype(float)
    month, month_days = months[-1], int(days[-1])
    lag = int(rng.choice(s.lags))
    if s.running:
        day = int(rng.integers(3, 29))
        as_of = month.start_time.date() + timedelta(days=day - 1)
        covered = day - lag
    else:
        as_of = month.end_time.date() + timedelta(days=1 + lag)
        covered = month_days
    daily = rng.multinomial(int(counts[-1]), [1 / month_days] * month_days)
    target = float(volume / 30.4 * month_days * (1 + s.growth) ** s.history) * s.target_factor
    return Case(
        [float(c) for c in counts[:-1]],
        [float(d) for d in days[:-1]],
        month,
        float(daily[:covered].sum()),
        covered,
        month_days,
        as_of,
        round(target, 2),
        volume,
    )


# --- the app, through its public entry point ------------------------------------------------------


def app_findings(
    config: dict[str, Any], frame: pd.DataFrame, as_of: date, month: pd.Period
) -> list[tuple[str, str, str | None]]:
    """(rule, severity, kpi) of every finding. The ONE place that knows the app's evaluation API."""
    from kpi_cli.config.models import Config
    from kpi_cli.metrics.formulas import Catalog
    from kpi_cli.review import build_context, evaluate_rules

    built = Config.model_validate(config)
    ctx = build_context(built, Catalog(built.metrics), frame, as_of, month)
    return [(f.rule, f.severity.value, f.kpi) for f in evaluate_rules(ctx)]


def _config(case: Case) -> dict[str, Any]:
    return {
        "version": 1,
        "name": "calibration",
        "sources": [{"name": "s", "path": "s.csv", "platform": "generic"}],
        "kgi": {
            "name": "Revenue",
            "metric": "revenue",
            "target": 1,
            "start": "2025-01-01",
            "deadline": "2026-12-31",
        },
        "kpis": [{"id": "k", "metric": "leads", "target": case.target}],  # every rule at its defaults
    }


def _frame(case: Case) -> pd.DataFrame:
    """One row per complete month (on its last day) and one for the covered days of the reviewed month."""
    months = pd.period_range(FIRST_MONTH, periods=len(case.history), freq="M")
    dates = [p.end_time.normalize() for p in months]
    leads = list(case.history)
    if case.covered > 0:  # dated on the last covered day: the data's newest date sets the exposure
        dates.append(case.month.start_time + pd.Timedelta(days=case.covered - 1))
        leads.append(case.current)
    return pd.DataFrame({"date": dates, "leads": leads, "revenue": [1.0] * len(dates)})


def judge_app(case: Case) -> dict[str, str | None]:
    """The worst severity each rule gave KPI k (None: nothing)."""
    worst: dict[str, str | None] = {}
    for rule, severity, kpi in app_findings(_config(case), _frame(case), case.as_of, case.month):
        if kpi == "k" and severity in ("warn", "fail") and worst.get(rule) != "fail":
            worst[rule] = severity
    return worst


# --- the statistics package, as the rules will call it --------------------------------------------


def judge_stats(case: Case) -> dict[str, str | None]:
    """Drop against the trailing 3 months (one previous month alone finds 36 % of 30 % drops)."""
    worst: dict[str, str | None] = {}
    if case.covered > 0:
        moved = compare_counts(
            case.current,
            case.covered,
            case.history[-3:],
            case.history_days[-3:],
            Direction.UP,
            case.history,
            case.history_days,
        )
        if moved is not None and moved.p_value < ALPHA and -moved.relative_change >= DROP_WARN:
            worst["drop"] = "fail" if -moved.relative_change >= DROP_FAIL else "warn"
    if case.covered < case.month_days:
        outlook = pace.outlook(
            case.current,
            case.covered,
            case.month_days,
            case.target,
            Direction.UP,
            case.history,
            case.history_days,
        )
        worst["pace"] = {"on_track": None, "at_risk": "warn", "off_track": "fail"}[outlook.status]
    outcome = forecast.judge(case.history, case.target)
    worst["forecast"] = {"fail": "fail", "warn": "warn"}.get(outcome.verdict)
    # as the stalled rule does: only a KPI not on track now (the running month's pace) and whose
    # last complete period is below target
    behind = worst.get("pace") is not None or case.covered == case.month_days
    stalled = trend.stall(case.history, max_periods=8)
    if behind and stalled is not None and stalled.stalled and case.history[-1] < case.target:
        worst["stalled"] = "warn"
    return {rule: severity for rule, severity in worst.items() if severity}


JUDGES: dict[str, Callable[[Case], dict[str, str | None]]] = {"app": judge_app, "stats": judge_stats}
RULES = ("drop", "pace", "forecast", "stalled")


def earlier(case: Case) -> Case:
    """The review one month before: its last complete month under review (data two days later)."""
    month = case.month - 1
    days = int(case.history_days[-1])
    as_of = month.end_time.date() + timedelta(days=2)
    return Case(
        case.history[:-1],
        case.history_days[:-1],
        month,
        case.history[-1],
        days,
        days,
        as_of,
        case.target,
        case.volume,
    )


def judged(
    scenario: Scenario, judge: Callable[[Case], dict[str, str | None]], case: Case
) -> dict[str, str | None]:
    """A step lasting two months counts as found when either monthly review found it."""
    found = judge(case)
    if scenario.step_months == 2 and not scenario.running:
        for rule, severity in judge(earlier(case)).items():
            found[rule] = "fail" if "fail" in (severity, found.get(rule)) else severity
    return found


def rates(
    scenario: Scenario, judge: Callable[[Case], dict[str, str | None]], runs: int, seed: int
) -> dict[str, tuple[float, float]]:
    """Per rule: (warn-or-fail share, fail share) over `runs` simulated series."""
    rng = np.random.default_rng(seed)
    fired: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i in range(runs):
        for rule, severity in judged(scenario, judge, simulate(scenario, rng, i)).items():
            fired[rule][0] += 1
            fired[rule][1] += severity == "fail"
    return {rule: (fired[rule][0] / runs, fired[rule][1] / runs) for rule in RULES}


CANDIDATES = {  # forecast fits measured against each other; kpi_cli.stats.forecast uses "log, last 6"
    "log, last 6": (forecast.Scale.LOG, 6),
    "log, all": (forecast.Scale.LOG, 1000),
    "linear, all": (forecast.Scale.LINEAR, 1000),
}


def coverage(months: int, kind: str, runs: int, seed: int, candidate: str = "log, last 6") -> float:
    """Share of next actual values inside the stated 90 % forecast range."""
    scale, window = CANDIDATES[candidate]
    growth, seasonal = {"flat": (0.0, 0.0), "growth": (0.06, 0.0), "seasonal": (0.0, 0.2)}[kind]
    scenario = Scenario(kind, history=months, growth=growth, seasonal=seasonal)
    rng = np.random.default_rng(seed)
    hits = 0
    for i in range(runs):
        case = simulate(scenario, rng, i)
        predicted = forecast.predict(case.history[:-1], scale=scale, window=window)
        hits += predicted.low <= case.history[-1] <= predicted.high
    return hits / runs


# --- the funnel ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelScenario:
    """Leads -> deals -> won, each stage converting at its benchmark with binomial noise.

    The top stage varies month to month (gamma level, 15 %); the reviewed month is complete. With
    `factor` < 1 the first conversion in the reviewed month runs at that share of its benchmark.
    """

    name: str
    leads: int  # a month
    factor: float = 1.0
    rates: tuple[float, float] = (0.20, 0.25)  # leads -> deals, deals -> won: also the benchmarks
    history: int = 6


FUNNEL_SCENARIOS = (
    FunnelScenario("at_benchmark", 1000),
    FunnelScenario("at_benchmark_200", 200),
    FunnelScenario("at_benchmark_5000", 5000),
    FunnelScenario("stage_at_70%", 1000, factor=0.7),
    FunnelScenario("stage_at_70%_200", 200, factor=0.7),
    FunnelScenario("stage_at_70%_5000", 5000, factor=0.7),
)


def funnel_findings(scenario: FunnelScenario, rng: np.random.Generator) -> set[str]:
    """The codes funnel_bottleneck gave one simulated funnel, through the app's entry point."""
    months = pd.period_range(FIRST_MONTH, periods=scenario.history + 1, freq="M")
    top = rng.poisson(scenario.leads * rng.gamma(1 / 0.15**2, 0.15**2, len(months)))
    first = np.full(len(months), scenario.rates[0])
    first[-1] *= scenario.factor
    deals = rng.binomial(top, first)
    won = rng.binomial(deals, scenario.rates[1])
    frame = pd.DataFrame(
        {
            "date": [p.end_time.normalize() for p in months],
            "leads": top.astype(float),
            "opportunities": deals.astype(float),
            "customers": won.astype(float),
            "revenue": won.astype(float),
        }
    )
    config = _config(Case([], [], months[-1], 0, 0, 0, date(2025, 1, 1), 1.0, 1))
    config["kpis"] = [
        {"id": "k", "metric": "leads", "target": scenario.leads, "rules": {"stalled": {"enabled": False}}}
    ]
    config["funnel"] = {
        "stages": [
            {"name": "Leads", "metric": "leads"},
            {"name": "Deals", "metric": "opportunities", "benchmark": scenario.rates[0]},
            {"name": "Won", "metric": "customers", "benchmark": scenario.rates[1]},
        ]
    }
    as_of = months[-1].end_time.date() + timedelta(days=2)
    built = app_findings_full(config, frame, as_of, months[-1])
    return {code for rule, code in built if rule == "funnel_bottleneck"}


def app_findings_full(
    config: dict[str, Any], frame: pd.DataFrame, as_of: date, month: pd.Period
) -> list[tuple[str, str]]:
    """(rule, code) of every finding, through the same entry point as app_findings."""
    from kpi_cli.config.models import Config
    from kpi_cli.metrics.formulas import Catalog
    from kpi_cli.review import build_context, evaluate_rules

    built = Config.model_validate(config)
    ctx = build_context(built, Catalog(built.metrics), frame, as_of, month)
    return [(f.rule, str(f.code)) for f in evaluate_rules(ctx)]


def funnel_rates(scenario: FunnelScenario, runs: int, seed: int) -> tuple[float, float, float]:
    """Share of funnels flagged: (any finding, a fall, below a benchmark)."""
    rng = np.random.default_rng(seed)
    counts = [0, 0, 0]
    for _ in range(runs):
        codes = funnel_findings(scenario, rng)
        counts[0] += bool(codes)
        counts[1] += "funnel_bottleneck.fall" in codes
        counts[2] += "funnel_bottleneck.benchmark" in codes
    return counts[0] / runs, counts[1] / runs, counts[2] / runs


def funnel_report(runs: int, seed: int) -> Iterator[str]:
    yield "funnel_bottleneck (app): share of funnels flagged: any / a fall / below a benchmark"
    for number, scenario in enumerate(FUNNEL_SCENARIOS):
        anyone, fall, benchmark = funnel_rates(scenario, runs, seed + 100 + number)
        yield f"  {scenario.name:<18} {scenario.leads:>5} leads/month  {anyone:>6.1%} / {fall:>6.1%} / {benchmark:>6.1%}"


def report(mode: str, runs: int, seed: int, only: str | None = None) -> Iterator[str]:
    yield f"mode {mode}, {runs} series per scenario, seed {seed}: warn-or-fail / fail per rule"
    yield f"{'scenario':<16}" + "".join(f"{rule:>18}" for rule in RULES)
    for number, scenario in enumerate(SCENARIOS):
        if only and scenario.name != only:
            continue
        found = rates(scenario, JUDGES[mode], runs, seed + number)
        yield f"{scenario.name:<16}" + "".join(f"{found[r][0]:>10.1%} /{found[r][1]:>6.1%}" for r in RULES)
    if mode == "app" and not only:
        yield from funnel_report(min(runs, 1000), seed)
    if mode == "stats" and not only:
        yield "forecast 90 % range coverage (volumes 3..600, 15 % noise; seasonal: 20 % sine)"
        for candidate in CANDIDATES:
            for kind in ("flat", "growth", "seasonal"):
                cells = [f"{m} months {coverage(m + 1, kind, runs, seed, candidate):.1%}" for m in (6, 12)]
                yield f"  {candidate:<12} {kind:<10}" + "   ".join(cells)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("app", "stats", "both"), default="both")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scenario", choices=[s.name for s in SCENARIOS], help="run this scenario only")
    args = parser.parse_args(argv)
    for mode in ("app", "stats") if args.mode == "both" else (args.mode,):
        for line in report(mode, args.runs, args.seed, args.scenario):
            print(line, flush=True)


if __name__ == "__main__":
    main()
