"""`kpi plan`: the back-calculation checked against numbers worked out by hand.

The synthetic funnel (one row per month, revenue KGI of 1,000,000 from 2026-01-01 to 2026-06-30):

    month     clicks  leads  customers  revenue
    2026-01      500    100         10  100,000
    2026-02    1,000     80          4   60,000
    2026-03    1,500    120         16  140,000
    2026-04      300     30          3   30,000   (as of 2026-04-10: 10 of 30 days elapsed)

Window (3 complete months before April) = 2026-01..2026-03, sums 3,000 / 300 / 30 / 300,000.
The monthly ratios differ on purpose, so a mean of ratios would give other numbers than the ratio
of sums: clicks->leads 0.2, 0.08, 0.08 (mean 0.12), leads->won 0.1, 0.05, 0.133 (mean 0.094),
revenue per customer 10,000, 15,000, 8,750 (mean 11,250).
"""

from __future__ import annotations

import json
import math
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from kpi_cli.commands.plan import run
from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError, UsageError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang, render
from kpi_cli.ingest import combine
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.plan import Plan, PlanOptions, build_plan, remaining_months
from kpi_cli.render.console import make_console
from kpi_cli.render.plan import plan_json, render_plan_text
from kpi_cli.review import read_checked, read_grain

ROOT = Path(__file__).resolve().parents[1]


def notes(plan: Plan, lang: Lang = Lang.EN) -> list[str]:
    """The plan's notes as the reader sees them (the plan holds catalog keys and values)."""
    return [render(note, lang) for note in plan.notes]


CSV = """date,clicks,leads,customers,revenue
2026-01-15,500,100,10,100000
2026-02-15,1000,80,4,60000
2026-03-15,1500,120,16,140000
2026-04-05,300,30,3,30000
"""

FUNNEL = """funnel:
  stages:
    - {name: Visits, metric: clicks}
    - {name: Leads, metric: leads}
    - {name: Won, metric: customers, benchmark: WON_BENCHMARK}
"""

CONFIG = """version: 1
name: Synthetic plan
sources:
  - {name: crm, path: crm.csv, platform: generic}
metrics:
  revenue_per_click: revenue / clicks
kgi:
  name: Revenue
  metric: KGI_METRIC
  target: KGI_TARGET
  start: 2026-01-01
  deadline: 2026-06-30
kpis:
  - {id: leads, metric: leads, target: 200, primary: true}
  - {id: won, metric: customers, target: 30}
  - {id: clicks_weekly, metric: clicks, target: 300, period: week}
EXTRA
FUNNEL
"""


def write_config(
    tmp_path: Path,
    *,
    kgi_metric: str = "revenue",
    target: float = 1_000_000,
    benchmark: float = 0.2,
    funnel: bool = True,
    extra: str = "",
) -> Path:
    (tmp_path / "crm.csv").write_text(CSV, encoding="utf-8")
    text = (
        CONFIG.replace("KGI_METRIC", kgi_metric)
        .replace("KGI_TARGET", str(target))
        .replace("EXTRA", extra)
        .replace("FUNNEL", FUNNEL.replace("WON_BENCHMARK", str(benchmark)) if funnel else "")
    )
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def make_plan(path: Path, as_of: date = date(2026, 4, 10), **options: Any) -> Plan:
    loaded = load_config(path)
    data = Dataset.build(combine(read_checked(loaded, read_grain(loaded))), loaded.catalog, as_of)
    return build_plan(loaded.config, data, PlanOptions(**options))


def stage(plan: Plan, name: str) -> Any:
    return next(s for s in plan.stages if s.name == name)


# remaining months = Apr 11..30 (20 of 30 days) + May (31/31) + June (30/30) = 2 2/3
MONTHS_LEFT = 20 / 30 + 1 + 1


@pytest.mark.parametrize(
    ("as_of", "start", "deadline", "expected"),
    [
        (date(2026, 4, 10), date(2026, 1, 1), date(2026, 6, 30), MONTHS_LEFT),
        # the sample's case: Nov 21..30 (10/30) + December (31/31)
        (date(2026, 11, 20), date(2026, 6, 1), date(2026, 12, 31), 10 / 30 + 1),
        # deadline inside as_of's month: Apr 11..20 = 10 of 30 days
        (date(2026, 4, 10), date(2026, 1, 1), date(2026, 4, 20), 10 / 30),
        # before the KGI starts, months count from the start: Feb 15..28 (14/28) + March
        (date(2026, 1, 10), date(2026, 2, 15), date(2026, 3, 31), 14 / 28 + 1),
        # the deadline day itself counts as done once as_of reaches it
        (date(2026, 6, 30), date(2026, 1, 1), date(2026, 6, 30), 0.0),
        (date(2026, 7, 15), date(2026, 1, 1), date(2026, 6, 30), 0.0),
    ],
)
def test_remaining_months_counts_part_months_by_days(
    as_of: date, start: date, deadline: date, expected: float
) -> None:
    assert remaining_months(as_of, start, deadline) == pytest.approx(expected)


def test_back_calculation_matches_hand_computation(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path))
    kgi = plan.kgi
    # actual = 100,000 + 60,000 + 140,000 + 30,000 (April so far) = 330,000; remaining 670,000
    assert kgi.actual == pytest.approx(330_000)
    assert kgi.remaining == pytest.approx(670_000)
    assert kgi.remaining_months == pytest.approx(MONTHS_LEFT)
    # value per Won = 300,000 / 30 = 10,000 (ratio of sums; the mean of ratios would be 11,250)
    assert kgi.value_per_unit == pytest.approx(10_000)
    assert kgi.anchor == "Won"
    assert kgi.state == "open"
    # 670,000 / 2.6667 = 251,250 revenue a month against 300,000 / 3 = 100,000 in the window
    assert kgi.needed_per_month == pytest.approx(251_250)
    assert kgi.actual_per_month == pytest.approx(100_000)
    assert [str(p) for p in plan.window] == ["2026-01", "2026-03"]
    assert plan.window_months == 3

    won, leads, visits = stage(plan, "Won"), stage(plan, "Leads"), stage(plan, "Visits")
    # Won: 670,000 / 10,000 / 2.6667 = 25.125 a month; actual 30 / 3 = 10; gap 15.125, x2.5125
    assert won.needed_per_month == pytest.approx(25.125)
    assert won.actual_per_month == pytest.approx(10)
    assert won.gap == pytest.approx(15.125)
    assert won.gap_ratio == pytest.approx(2.5125)
    # Leads -> Won = 30 / 300 = 0.1 (mean of ratios: 0.094); Leads need 25.125 / 0.1 = 251.25
    assert won.conversion == pytest.approx(0.1)
    assert won.conversion_source == "observed"
    assert leads.needed_per_month == pytest.approx(251.25)
    assert leads.actual_per_month == pytest.approx(100)
    # Visits -> Leads = 300 / 3,000 = 0.1 (mean of ratios: 0.12); Visits need 251.25 / 0.1 = 2,512.5
    assert leads.conversion == pytest.approx(0.1)
    assert visits.needed_per_month == pytest.approx(2_512.5)
    assert visits.actual_per_month == pytest.approx(1_000)
    assert visits.conversion is None and visits.conversion_source is None
    assert plan.notes == []


def test_run_rate_scales_the_month_so_far(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path))
    # April 1..10 = 10 of 30 days: 3 won / (1/3) = 9 a month; 300 clicks -> 900; 30,000 -> 90,000
    assert stage(plan, "Won").run_rate == pytest.approx(9)
    assert stage(plan, "Visits").run_rate == pytest.approx(900)
    assert plan.kgi.run_rate == pytest.approx(90_000)


def test_kpi_targets_are_checked_against_the_need(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path))
    leads, won, visits = stage(plan, "Leads").kpi, stage(plan, "Won").kpi, stage(plan, "Visits").kpi
    # leads target 200 < 251.25 needed: the KPI is too low for the goal
    assert (leads.id, leads.target, leads.consistent) == ("leads", 200, False)
    # won target 30 >= 25.125 needed
    assert (won.id, won.consistent) == ("won", True)
    # a weekly clicks target is not comparable with a monthly need
    assert visits is None


def test_a_recorded_decision_replaces_the_kpi_target(tmp_path: Path) -> None:
    extra = "decisions:\n  - {kpi: leads, date: 2026-03-01, decision: raise the bar, new_target: 260}\n"
    leads = stage(make_plan(write_config(tmp_path, extra=extra)), "Leads").kpi
    # 260 >= 251.25
    assert (leads.target, leads.consistent) == (260, True)


def test_benchmarks_override_observed_conversions(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path), use_benchmarks=True)
    won, leads, visits = stage(plan, "Won"), stage(plan, "Leads"), stage(plan, "Visits")
    # Won's benchmark 0.2 replaces the observed 0.1: Leads need 25.125 / 0.2 = 125.625
    assert (won.conversion, won.conversion_source) == (0.2, "planned")
    assert won.observed_conversion == pytest.approx(0.1)
    assert leads.needed_per_month == pytest.approx(125.625)
    # Leads has no benchmark: the observed 0.1 stays, Visits need 125.625 / 0.1 = 1,256.25
    assert leads.conversion_source == "observed"
    assert visits.needed_per_month == pytest.approx(1_256.25)
    assert "no benchmark for Leads: the observed conversion is used" in notes(plan)
    # 200 >= 125.625: with the planned close rate the leads KPI is consistent
    assert leads.kpi.consistent is True


def test_a_zero_conversion_leaves_upstream_needs_undefined(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path, benchmark=0), use_benchmarks=True)
    assert stage(plan, "Won").needed_per_month == pytest.approx(25.125)
    assert stage(plan, "Leads").needed_per_month is None
    assert stage(plan, "Visits").needed_per_month is None
    assert stage(plan, "Leads").kpi.consistent is None
    assert any("into Won (it is zero)" in note for note in notes(plan))


def test_no_data_in_the_window_leaves_every_need_undefined(tmp_path: Path) -> None:
    # as of 2026-01-20 the window is 2025-10..2025-12, before the first row
    plan = make_plan(write_config(tmp_path), as_of=date(2026, 1, 20))
    assert plan.window_months == 0
    assert plan.kgi.value_per_unit is None
    assert all(s.needed_per_month is None and s.actual_per_month is None for s in plan.stages)
    assert "only 0 of the 3 window months have data" in notes(plan)
    assert "no revenue per Won observed in the window: every need is undefined" in notes(plan)
    json.loads(plan_json(plan))  # still a valid document


def test_months_without_data_are_not_averaged_as_zero(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path), window=6)
    # 2025-10..2026-03: three months have data, so the averages and rates are unchanged
    assert [str(p) for p in plan.window] == ["2025-10", "2026-03"]
    assert plan.window_months == 3
    assert stage(plan, "Won").actual_per_month == pytest.approx(10)
    assert stage(plan, "Visits").needed_per_month == pytest.approx(2_512.5)
    assert "only 3 of the 6 window months have data" in notes(plan)


def test_a_reached_kgi_needs_nothing(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path, target=300_000))
    # 330,000 >= 300,000
    assert plan.kgi.state == "reached"
    assert plan.kgi.remaining == 0
    assert plan.kgi.needed_per_month == 0
    assert [s.needed_per_month for s in plan.stages] == [0, 0, 0]
    assert stage(plan, "Leads").kpi.consistent is True
    assert notes(plan)[0].startswith("KGI reached: 330,000 of 300,000")


def test_a_passed_deadline_is_reported_not_raised(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path), as_of=date(2026, 7, 15))
    assert plan.kgi.state == "deadline_passed"
    assert plan.kgi.remaining_months == 0
    assert plan.kgi.remaining == pytest.approx(670_000)
    assert all(s.needed_per_month is None for s in plan.stages)
    assert notes(plan)[0].startswith("no time left: the deadline 30 Jun 2026")
    document = json.loads(plan_json(plan))
    assert document["kgi"]["state"] == "deadline_passed"
    assert document["kgi"]["needed_per_month"] is None
    render_plan_text(plan, make_console(StringIO()))


def test_a_kgi_measured_by_a_stage_anchors_there(tmp_path: Path) -> None:
    plan = make_plan(write_config(tmp_path, kgi_metric="leads", target=1000))
    # leads so far 100 + 80 + 120 + 30 = 330; (1,000 - 330) / 2.6667 = 251.25 leads a month
    assert plan.kgi.anchor == "Leads"
    assert plan.kgi.value_per_unit == 1
    assert stage(plan, "Leads").needed_per_month == pytest.approx(251.25)
    assert stage(plan, "Visits").needed_per_month == pytest.approx(2_512.5)
    # Won comes after the goal: it gets no need
    assert stage(plan, "Won").needed_per_month is None
    assert "Won come after Leads, where the KGI is earned: no need computed" in notes(plan)


def test_a_ratio_kgi_cannot_be_back_calculated(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'revenue_per_click' is a ratio"):
        make_plan(write_config(tmp_path, kgi_metric="revenue_per_click"))


def test_no_funnel_is_a_config_error(tmp_path: Path) -> None:
    path = write_config(tmp_path, funnel=False)
    # The config lacks what the plan needs: a config error (exit 2), not a misused flag.
    with pytest.raises(ConfigError, match="needs a funnel"):
        run(path, "2026-04-10", 3, "text", False)
    with pytest.raises(ConfigError, match="needs a funnel"):
        make_plan(path)


@pytest.mark.parametrize(
    ("window", "fmt", "message"),
    [(0, "text", "--window: must be 1 to 120 months"), (3, "csv", "--format: 'csv'")],
)
def test_bad_options_are_usage_errors(tmp_path: Path, window: int, fmt: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        run(write_config(tmp_path), "2026-04-10", window, fmt, False)


def test_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(write_config(tmp_path), "2026-04-10", 3, "json", False) == ExitCode.OK
    # NaN is not JSON: parse_constant fails the test if any slipped through
    document = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert document["schema"] == "kpi-plan/1"
    assert document["as_of"] == "2026-04-10"
    assert document["window"] == ["2026-01", "2026-03"]
    assert set(document["kgi"]) >= {
        "metric",
        "target",
        "actual",
        "remaining",
        "remaining_months",
        "value_per_unit",
    }
    assert document["kgi"]["value_per_unit"] == pytest.approx(10_000)
    first, *_, last = document["stages"]
    assert set(first) >= {
        "name",
        "metric",
        "conversion",
        "conversion_source",
        "needed_per_month",
        "actual_per_month",
        "gap",
        "kpi",
    }
    assert first["conversion"] is None and first["conversion_source"] is None and first["kpi"] is None
    assert last["kpi"] == {"id": "won", "target": 30, "consistent": True}
    assert last["gap"] == pytest.approx(15.125)


def test_text_shows_config_strings_literally(tmp_path: Path) -> None:
    path = write_config(tmp_path)
    path.write_text(path.read_text().replace("name: Leads", "name: '[red]Leads[/red]'"), encoding="utf-8")
    buffer = StringIO()
    console = make_console(buffer)
    console.width = 220  # one line per row, so the cells can be matched whole
    render_plan_text(make_plan(path), console)
    out = buffer.getvalue()
    assert "[red]Leads[/red]" in out
    assert "short by 51" in out  # leads KPI 200 against 251.25 needed
    assert "2,512" in out


def test_smoke_on_the_sample_config(capsys: pytest.CaptureFixture[str]) -> None:
    config = ROOT / "configs" / "saas_leadgen.yaml"
    assert run(config, "2026-11-20", 3, "json", False) == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    assert document["kgi"]["state"] == "open"
    assert document["kgi"]["remaining"] == pytest.approx(27_000_000)
    assert document["kgi"]["remaining_months"] == pytest.approx(10 / 30 + 1)
    assert [s["name"] for s in document["stages"]][-1] == "Won"
    assert all(not math.isnan(s["needed_per_month"]) for s in document["stages"])
    assert run(config, "2026-11-20", 3, "text", True) == ExitCode.OK


def test_planned_conversion_wins_without_the_flag(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        "{name: Leads, metric: leads}", "{name: Leads, metric: leads, planned_conversion: 0.25}"
    )
    config.write_text(text, encoding="utf-8")
    plan = make_plan(config)
    leads, visits = stage(plan, "Leads"), stage(plan, "Visits")
    # Won keeps its observed 0.1 (no flag): Leads need 251.25; Visits need 251.25 / 0.25 = 1,005
    assert (leads.conversion, leads.conversion_source) == (0.25, "planned")
    assert leads.needed_per_month == pytest.approx(251.25)
    assert visits.needed_per_month == pytest.approx(1_005)
