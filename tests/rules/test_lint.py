from __future__ import annotations

from datetime import date
from typing import Any

from kpi_cli.rules import lint
from tests.conftest import context, make_config, monthly_frame

FRAME = monthly_frame({"leads": [10, 10], "followers": [100, 120], "revenue": [1, 1]})


def _codes(frame: Any = FRAME, **config: Any) -> list[str]:
    return [f.code for f in lint.evaluate(context(make_config(**config), frame, date(2026, 2, 28)))]


def test_clean_config_has_no_lint() -> None:
    assert _codes() == []


def test_primary_kpi_count() -> None:
    two = [
        {"id": "a", "metric": "leads", "target": 1, "primary": True, "owner": "x", "review_by": "2026-12-01"},
        {"id": "b", "metric": "leads", "target": 1, "primary": True, "owner": "x", "review_by": "2026-12-01"},
    ]
    assert _codes(kpis=two) == ["lint.many_primary"]
    none = [{**two[0], "primary": False}]
    assert _codes(kpis=none) == ["lint.no_primary"]


def test_kpi_without_owner_or_review_by() -> None:
    kpis = [{"id": "a", "metric": "leads", "target": 1, "primary": True}]
    [finding] = lint.evaluate(context(make_config(kpis=kpis), FRAME, date(2026, 2, 28)))
    assert finding.code == "lint.no_owner" and finding.evidence["missing"] == ["owner", "review_by"]


def test_vanity_primary_kpi() -> None:
    kpis = [
        {
            "id": "f",
            "metric": "followers",
            "target": 1,
            "primary": True,
            "owner": "x",
            "review_by": "2026-12-01",
        }
    ]
    assert _codes(kpis=kpis) == ["lint.vanity_primary"]


def test_unreachable_kpi_and_unknown_segment() -> None:
    kpis = [
        {
            "id": "a",
            "metric": "leads",
            "target": 1,
            "primary": True,
            "owner": "x",
            "review_by": "2026-12-01",
            "segments": ["smb"],
        },
        {"id": "b", "metric": "inquiries", "target": 1, "owner": "x", "review_by": "2026-12-01"},
    ]
    frame = FRAME.assign(inquiries=float("nan"))
    assert _codes(frame, kpis=kpis) == ["lint.unknown_segment", "lint.unreachable"]


def test_funnel_stage_larger_than_the_one_before() -> None:
    funnel = {"stages": [{"name": "Signups", "metric": "leads"}, {"name": "Fans", "metric": "followers"}]}
    [finding] = lint.evaluate(context(make_config(funnel=funnel), FRAME, date(2026, 2, 28)))
    assert finding.code == "lint.funnel_order"
    assert (finding.evidence["count"], finding.evidence["previous_count"]) == (220, 20)
