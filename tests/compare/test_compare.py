"""`kpi compare`'s figures: intervals against tabulated and reference values, rankings by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from kpi_cli.compare import Basis, Figure, MixedDefinitions, compare
from kpi_cli.compare.engagement import definition_for
from kpi_cli.compare.intervals import per_count, poisson, scaled_by_count, wilson


def test_wilson_by_hand_and_against_scipy() -> None:
    # 3 of 20 at 95 %: centre (0.15 + z²/40) / (1 + z²/20) = 0.2064, half-width 0.1540
    estimate = wilson(3, 20)
    assert estimate.value == 0.15 and estimate.basis == 20
    assert estimate.low == pytest.approx(0.0524, abs=5e-4)
    assert estimate.high == pytest.approx(0.3604, abs=5e-4)
    reference = stats.binomtest(3, 20).proportion_ci(0.95, method="wilson")
    assert (estimate.low, estimate.high) == pytest.approx((reference.low, reference.high), rel=1e-9)


def test_wilson_takes_fractional_counts_and_refuses_impossible_shares() -> None:
    assert wilson(0.3, 10).value == pytest.approx(0.03)
    assert not wilson(5, 4).known and not wilson(1, 0).known


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(0, 0.0, 3.689), (2, 0.2422, 7.2247), (10, 4.7954, 18.3904)],  # Garwood's exact 95 % limits, tabulated
)
def test_poisson_interval_matches_the_exact_table(count: int, low: float, high: float) -> None:
    estimate = poisson(count)
    assert estimate.low == pytest.approx(low, abs=1e-3) and estimate.high == pytest.approx(high, abs=1e-3)


def test_cost_per_event_uses_the_events_interval() -> None:
    cpa = per_count(10_000, 10)  # 1,000 per event; events 4.795..18.39
    assert cpa.value == 1000
    assert cpa.low == pytest.approx(10_000 / 18.3904, rel=1e-4)
    assert cpa.high == pytest.approx(10_000 / 4.7954, rel=1e-4)
    none = per_count(5_000, 0)  # no conversion: no CPA, and no upper bound to it
    assert none.value is None and none.high is None and none.low == pytest.approx(5_000 / 3.689, rel=1e-3)


def test_roas_interval_scales_with_the_purchase_count() -> None:
    roas = scaled_by_count(4.0, 2)
    assert roas.low == pytest.approx(4.0 * 0.2422 / 2, rel=1e-3)
    assert roas.high == pytest.approx(4.0 * 7.2247 / 2, rel=1e-3)


def _month(rows: list[tuple[str, str, dict[str, float]]]) -> pd.DataFrame:
    records = [
        {"date": pd.Timestamp(day), "campaign": name, "source": "ads", **values} for day, name, values in rows
    ]
    return pd.DataFrame.from_records(records)


def test_small_groups_are_shown_not_ranked_and_ties_share_a_rank() -> None:
    frame = _month(
        [
            ("2026-10-05", "tiny", {"impressions": 20, "clicks": 3}),  # 15 % on 20 impressions
            ("2026-10-05", "big", {"impressions": 12_000, "clicks": 900}),  # 7.5 %
            ("2026-10-06", "twin", {"impressions": 12_000, "clicks": 900}),  # 7.5 %, same counts
            ("2026-10-06", "mid", {"impressions": 6_000, "clicks": 300}),  # 5 %
        ]
    )
    result = compare(frame, "campaign", pd.Period("2026-10", "M"), Figure.CTR, {"ads": "meta_ads"})
    assert [(g.name, g.rank, g.too_small) for g in result.groups] == [
        ("big", 1, False),
        ("twin", 1, False),
        ("mid", 3, False),
        ("tiny", None, True),  # the best raw CTR, but 20 impressions cannot say so
    ]
    assert result.total.impressions == 30_020 and result.total.figures[Figure.CTR].value == pytest.approx(
        2103 / 30020
    )


def test_cpa_ranks_on_the_upper_end_and_carries_shares_and_previous_rank() -> None:
    frame = _month(
        [
            ("2026-09-10", "a", {"cost": 1000, "conversions": 1}),
            ("2026-09-10", "b", {"cost": 1000, "conversions": 10}),
            ("2026-10-10", "a", {"cost": 30_000, "conversions": 30}),  # CPA 1,000, events 30
            ("2026-10-10", "b", {"cost": 9_000, "conversions": 10}),  # CPA 900, events 10
            ("2026-10-10", "c", {"cost": 1_000, "conversions": 2}),  # CPA 500, too few events
        ]
    )
    result = compare(frame, "campaign", pd.Period("2026-10", "M"), Figure.CPA, {})
    # upper ends: a 30,000 / chi2(0.025, 60)/2 = 30,000 / 20.24 = 1,482; b 9,000 / 4.795 = 1,877
    by_name = {g.name: g for g in result.groups}
    assert by_name["a"].figures[Figure.CPA].high == pytest.approx(30_000 / (stats.chi2.ppf(0.025, 60) / 2))
    assert [(g.name, g.rank) for g in result.groups] == [("a", 1), ("b", 2), ("c", None)]
    assert by_name["a"].cost_share == pytest.approx(30 / 40) and by_name[
        "b"
    ].conversion_share == pytest.approx(10 / 42)
    # September: a had 1 event (too few to rank), b had 10 and ranked first
    assert (by_name["a"].previous_rank, by_name["b"].previous_rank) == (None, 1)


def test_previous_rank_is_the_previous_months_rank() -> None:
    frame = _month(
        [
            ("2026-09-10", "a", {"cost": 9_000, "conversions": 10}),
            ("2026-09-10", "b", {"cost": 30_000, "conversions": 30}),
            ("2026-10-10", "a", {"cost": 30_000, "conversions": 30}),
            ("2026-10-10", "b", {"cost": 9_000, "conversions": 10}),
        ]
    )
    result = compare(frame, "campaign", pd.Period("2026-10", "M"), Figure.CPA, {})
    assert [(g.name, g.rank, g.previous_rank) for g in result.groups] == [("a", 1, 2), ("b", 2, 1)]


def test_rows_without_the_dimension_form_their_own_group() -> None:
    frame = _month([("2026-10-01", "x", {"impressions": 100, "clicks": 5})])
    frame.loc[len(frame)] = {
        "date": pd.Timestamp("2026-10-02"),
        "campaign": None,
        "source": "ads",
        "impressions": 50,
        "clicks": 1,
    }
    result = compare(frame, "campaign", pd.Period("2026-10", "M"), Figure.CTR, {})
    assert sorted(g.name for g in result.groups) == ["(not set)", "x"]
    assert result.total.impressions == 150


def test_engagement_definitions_per_platform_and_mixing_refused() -> None:
    assert definition_for({"x", "linkedin"}, None).text == "engagements / impressions"
    assert definition_for({"facebook_page"}, None).text == "engagements / reach"
    assert definition_for({"instagram"}, None).text == "likes + comments + shares + saves / reach"
    with pytest.raises(MixedDefinitions, match="--engagement impressions or --engagement reach"):
        definition_for({"x", "instagram"}, None)
    assert definition_for({"x", "instagram"}, Basis.REACH).text == "likes + comments + shares + saves / reach"


def test_engagement_rate_follows_the_definition_used() -> None:
    frame = _month(
        [
            (
                "2026-10-03",
                "post",
                {"impressions": 1000, "reach": 400, "likes": 30, "comments": 5, "shares": 3, "saves": 2},
            )
        ]
    )
    result = compare(
        frame, "campaign", pd.Period("2026-10", "M"), Figure.ENGAGEMENT_RATE, {"ads": "instagram"}
    )
    assert result.engagement.text == "likes + comments + shares + saves / reach"
    assert result.groups[0].figures[Figure.ENGAGEMENT_RATE].value == pytest.approx(40 / 400)


def _accounts(rows: dict[str, dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            {"date": pd.Timestamp("2026-10-15"), "account": name, "source": "x", **values}
            for name, values in rows.items()
        ]
    )


def test_bought_followers_fires_on_followers_without_engagement() -> None:
    from kpi_cli.compare.flags import bought_followers

    frame = _accounts(
        {
            "@bought": {"impressions": 50_000, "engagements": 200, "followers": 5_000},  # 0.04 per follower
            "@real": {"impressions": 60_000, "engagements": 3_000, "followers": 300},  # 10 per follower
            "@also_real": {"impressions": 40_000, "engagements": 2_000, "followers": 200},
        }
    )
    result = compare(frame, "account", pd.Period("2026-10", "M"), Figure.ENGAGEMENT_RATE, {"x": "x"})
    flags = bought_followers(result)
    # upper end of 200 engagements (exact 95 %) is about 229.7; 229.7 / 5,000 = 0.046 < 0.25 × 10
    assert [(f.code, f.group) for f in flags] == [("compare.bought_followers", "@bought")]
    assert flags[0].params["peers_per_follower"] == pytest.approx(5_000 / 500)


def test_bought_followers_stays_quiet_on_an_account_that_engages() -> None:
    from kpi_cli.compare.flags import bought_followers

    frame = _accounts(
        {
            "@growing": {"impressions": 50_000, "engagements": 4_000, "followers": 800},  # 5 per follower
            "@steady": {"impressions": 60_000, "engagements": 3_000, "followers": 300},  # 10 per follower
        }
    )
    result = compare(frame, "account", pd.Period("2026-10", "M"), Figure.ENGAGEMENT_RATE, {"x": "x"})
    assert bought_followers(result) == []  # half the peers' figure is not "far below" (ratio 0.25)


def test_costly_influencer_and_segment_below_shared() -> None:
    from kpi_cli.compare.flags import costly_influencer, segment_below_shared

    frame = _accounts(
        {
            "shared": {"impressions": 100_000, "engagements": 3_000, "cost": 100_000, "conversions": 200},
            "@pricey": {"impressions": 20_000, "engagements": 200, "cost": 90_000, "conversions": 20},
            "family": {"impressions": 20_000, "engagements": 620, "cost": 10_000, "conversions": 20},
        }
    )
    result = compare(frame, "account", pd.Period("2026-10", "M"), Figure.CPA, {"x": "x"})
    # total CPA 200,000 / 240 = 833; @pricey 4,500 with lower end 90,000 / 30.89 = 2,914 > 2 × 833
    assert [f.group for f in costly_influencer(result)] == ["@pricey"]
    # shared engages 3.0 % (interval 2.9–3.1 %); @pricey 1.0 % lies wholly below, family 3.1 % does not
    assert [f.group for f in segment_below_shared(result, "shared")] == ["@pricey"]
