from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from scipy import stats

from kpi_cli.findings import Severity
from kpi_cli.rules import pace
from tests.conftest import context, make_config, monthly_frame


def _daily(start: str, end: str, **per_day: float) -> pd.DataFrame:
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({"date": days, **{k: [v] * len(days) for k, v in per_day.items()}})


def kpi_findings(
    config_kpis: list[dict[str, object]], frame: pd.DataFrame, as_of: date
) -> list[pace.Finding]:
    config = make_config(kpis=config_kpis)
    return [f for f in pace.evaluate(context(config, frame, as_of)) if f.kpi is not None]


def test_running_month_is_judged_pro_rata() -> None:
    # 2 leads a day for Nov 1..10 = 20; expected 100 * 10/30 = 33.33; 20/33.33 = 0.6 < 0.75: off track
    frame = _daily("2026-11-01", "2026-11-10", leads=2, revenue=0)
    [finding] = kpi_findings([{"id": "leads", "metric": "leads", "target": 100}], frame, date(2026, 11, 10))
    assert finding.severity is Severity.FAIL
    assert finding.evidence["actual"] == 20
    assert finding.evidence["expected"] == pytest.approx(100 * 10 / 30)
    assert finding.evidence["achievement"] == pytest.approx(0.6)
    assert finding.evidence["in_progress"] is True
    # 80 still needed over the 20 days after Nov 10: 4.0 a day; 20 so far over 10 days: 2.0 a day
    assert finding.action == "needs 4 leads a day from here to reach 100 by 30 Nov 2026 (so far 2 a day)"


def test_running_count_is_judged_as_a_count_on_the_days_covered() -> None:
    # No complete month before: plain Poisson with mean 100 * 10/30 = 33.3 on the 10 days covered.
    # 30 by the 10th: P(Y <= 30) = 0.31 -> on track (the old 0.95 band called it at risk).
    # 25: P = 0.079 -> at risk (< 0.10). 20: P = 0.0098 -> off track (< 0.02). scipy as reference.
    expected = 100 * 10 / 30
    assert stats.poisson.cdf(30, expected) > 0.10
    assert 0.02 < stats.poisson.cdf(25, expected) < 0.10 and stats.poisson.cdf(20, expected) < 0.02
    kpis = [{"id": "leads", "metric": "leads", "target": 100}]
    on_pace = _daily("2026-11-01", "2026-11-10", leads=3, revenue=0)
    assert kpi_findings(kpis, on_pace, date(2026, 11, 10)) == []
    [risk] = kpi_findings(kpis, _daily("2026-11-01", "2026-11-10", leads=2.5, revenue=0), date(2026, 11, 10))
    assert risk.severity is Severity.WARN and risk.code == "pace.at_risk"
    assert risk.evidence["p_value"] == pytest.approx(stats.poisson.cdf(25, expected))
    assert risk.evidence["coverage"] == "through 10 Nov (10 of 30 days)"
    [off] = kpi_findings(kpis, _daily("2026-11-01", "2026-11-10", leads=2, revenue=0), date(2026, 11, 10))
    assert off.severity is Severity.FAIL and off.code == "pace.off_track"


def test_a_day_the_export_has_not_reached_is_not_counted() -> None:
    # as_of the 12th but data through the 10th: judged on 10 days (the lag is not read as a fall)
    kpis = [{"id": "leads", "metric": "leads", "target": 100}]
    lagging = _daily("2026-11-01", "2026-11-10", leads=3, revenue=0)
    assert kpi_findings(kpis, lagging, date(2026, 11, 12)) == []


def test_custom_ratios_from_defaults() -> None:
    frame = _daily("2026-11-01", "2026-11-10", leads=3, revenue=0)  # 0.9 of expected
    config = make_config(defaults={"pace": {"on_track": 0.85, "off_track": 0.5}})
    found = [f for f in pace.evaluate(context(config, frame, date(2026, 11, 10))) if f.kpi]
    assert found == []


def test_complete_month_is_met_or_missed_not_pro_rated() -> None:
    frame = monthly_frame({"leads": [90], "revenue": [0]}, first="2026-10")
    [finding] = kpi_findings([{"id": "leads", "metric": "leads", "target": 100}], frame, date(2026, 11, 3))
    assert finding.code == "pace.no_data"  # November (the month of as_of) has no rows yet
    config = make_config()
    ctx = context(config, frame, date(2026, 10, 31))
    [missed] = [f for f in pace.evaluate(ctx) if f.kpi]
    assert missed.code == "pace.missed" and missed.severity is Severity.FAIL
    assert missed.evidence["expected"] == 100 and missed.evidence["in_progress"] is False


def test_direction_down_ratio_metric_is_not_pro_rated() -> None:
    # CPA = cost / customers = 40000 / 10 = 4000 against a 5000 ceiling: on track even mid-month
    frame = _daily("2026-11-01", "2026-11-10", cost=4000, customers=1, revenue=0)
    kpis = [{"id": "cpa", "metric": "cpa", "target": 5000, "direction": "down"}]
    config = make_config(kpis=kpis, metrics={"cpa": "cost / customers"})
    ctx = context(config, frame, date(2026, 11, 10))
    assert ctx.kpis[0].progress.expected == 5000
    assert ctx.kpis[0].progress.ratio == pytest.approx(5000 / 4000)
    # 6000 a customer: 5000 / 6000 = 0.833 -> at risk
    frame = _daily("2026-11-01", "2026-11-10", cost=6000, customers=1, revenue=0)
    [finding] = [f for f in pace.evaluate(context(config, frame, date(2026, 11, 10))) if f.kpi]
    assert finding.code == "pace.at_risk"
    assert finding.action == "cpa must fall to 5,000 by 30 Nov 2026"


def test_zero_customers_makes_cpa_undefined_not_infinite() -> None:
    frame = _daily("2026-11-01", "2026-11-10", cost=4000, customers=0, revenue=0)
    config = make_config(
        kpis=[{"id": "cpa", "metric": "cpa", "target": 5000, "direction": "down"}],
        metrics={"cpa": "cost / customers"},
    )
    [finding] = [f for f in pace.evaluate(context(config, frame, date(2026, 11, 10))) if f.kpi]
    assert finding.code == "pace.no_data" and finding.severity is Severity.INFO


def test_kgi_linear_expected_by_date() -> None:
    # KGI 1000 over 2026-01-01..2026-12-31 (365 days); by 2026-07-02 (day 183) expected 1000*183/365
    frame = _daily("2026-01-01", "2026-07-02", revenue=2, leads=1)
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 1}])
    ctx = context(config, frame, date(2026, 7, 2))
    progress = ctx.kgi.progress
    assert progress.actual == 366  # 183 days * 2
    assert progress.expected == pytest.approx(1000 * 183 / 365)
    assert progress.status == "off_track"  # 366 / 501.4 = 0.73


def test_kgi_curve_weights_months() -> None:
    # Weights 1 for Jan..Nov and 9 for December (total 20): by 2026-11-30 expected 11/20 of 1000 = 550
    frame = _daily("2026-01-01", "2026-11-30", revenue=1.7, leads=1)  # 334 days * 1.7 = 567.8
    config = make_config(kgi={**make_config().kgi.model_dump(), "rules": {"pace": {"curve": [1] * 11 + [9]}}})
    progress = context(config, frame, date(2026, 11, 30)).kgi.progress
    assert progress.expected == pytest.approx(550)
    assert progress.status == "on_track"


def test_kgi_milestones_interpolate() -> None:
    # Milestone 200 on 2026-06-30; on 2026-03-31: share of 2026-01-01..06-30 elapsed = 90/181 of 200
    config = make_config(
        kgi={
            **make_config().kgi.model_dump(),
            "rules": {"pace": {"milestones": [{"date": "2026-06-30", "target": 200}]}},
        }
    )
    frame = _daily("2026-01-01", "2026-03-31", revenue=1, leads=1)
    progress = context(config, frame, date(2026, 3, 31)).kgi.progress
    assert progress.expected == pytest.approx(200 * 90 / 181)


def test_cumulative_kpi_uses_kgi_span() -> None:
    # 600 signups over Jan..Dec; 1 a day until 2026-03-31 (90 days) vs 600*90/365 = 147.9 expected
    frame = _daily("2026-01-01", "2026-03-31", leads=1, revenue=0)
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 600, "cumulative": True}])
    view = context(config, frame, date(2026, 3, 31)).kpis[0]
    assert view.progress.actual == 90
    assert view.progress.expected == pytest.approx(600 * 90 / 365)
    assert view.progress.status == "off_track"


def _checkin_findings(confidence: str, per_day: float) -> list[pace.Finding]:
    frame = _daily("2026-11-01", "2026-11-10", leads=per_day, revenue=0)
    config = make_config(
        kpis=[{"id": "leads", "metric": "leads", "target": 100, "owner": "Tanaka"}],
        checkins=[
            {"kpi": "leads", "date": "2026-10-01", "confidence": "off_track"},
            {"kpi": "leads", "date": "2026-11-05", "confidence": confidence, "comment": "webinar next week"},
            {"kpi": "leads", "date": "2026-11-12", "confidence": "off_track"},  # after as_of: not yet said
        ],
    )
    return [
        f
        for f in pace.evaluate(context(config, frame, date(2026, 11, 10)))
        if f.code == "pace.confidence_mismatch"
    ]


def test_optimistic_owner_is_flagged_as_warn() -> None:
    # 2 a day: 20 of 33.3 expected = 0.6 -> off track, while the owner's latest check-in says on track
    [finding] = _checkin_findings("on_track", 2)
    assert finding.severity is Severity.WARN
    assert finding.message == (
        "leads: Tanaka said on track on 5 Nov 2026 (webinar next week), the numbers say off track"
    )


def test_pessimistic_owner_is_info_and_agreement_is_silent() -> None:
    [finding] = _checkin_findings("off_track", 3.2)  # 32 / 33.3 = 0.96: on track
    assert finding.severity is Severity.INFO
    assert _checkin_findings("on_track", 3.2) == []


def test_where_reads_a_kpi_from_one_source_only() -> None:
    # Newsletter and LINE both deliver messages; the newsletter's unsubscribe rate is 3 / 1000 only
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-05", "2026-10-06"]),
            "source": ["newsletter", "line"],
            "delivered": [1000.0, 12000.0],
            "unsubscribes": [3.0, None],
            "revenue": [0.0, 0.0],
        }
    )
    kpis = [
        {
            "id": "unsub",
            "metric": "unsub_rate",
            "target": 0.005,
            "direction": "down",
            "where": {"source": "newsletter"},
        }
    ]
    config = make_config(kpis=kpis, metrics={"unsub_rate": "unsubscribes / delivered"})
    view = context(config, frame, date(2026, 10, 31)).kpis[0]
    assert view.progress.actual == pytest.approx(0.003)


def test_weekly_kpi_is_judged_on_its_iso_week() -> None:
    # Week 47 of 2026 runs Mon 16 Nov .. Sun 22 Nov; by Wed 18 Nov 3 of 7 days are done.
    # 5 a day = 15 against 70 * 3/7 = 30 expected: 0.5 -> off track.
    frame = _daily("2026-11-16", "2026-11-18", leads=5, revenue=0)
    config = make_config(kpis=[{"id": "leads", "metric": "leads", "target": 70, "period": "week"}])
    view = context(config, frame, date(2026, 11, 18)).kpis[0]
    assert view.period_label == "2026-W47"
    assert (view.progress.actual, view.progress.expected) == (15, pytest.approx(30))
    assert view.progress.status == "off_track"


def test_pace_enabled_false_silences_its_findings() -> None:
    # 10 leads against 100 in a finished March is `missed`; switched off, pace says nothing of it.
    frame = monthly_frame({"leads": [10.0, 10.0, 10.0]})
    on = pace.evaluate(context(make_config(), frame, date(2026, 4, 10)))
    assert any(f.kpi == "leads" for f in on)
    config = make_config(defaults={"pace": {"enabled": False}})
    assert pace.evaluate(context(config, frame, date(2026, 4, 10))) == []
