"""Cross-field checks (issue 7): pace curves and milestones against their spans, by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError
from tests.config.test_loader import GOOD

# GOOD's KGI runs 2026-01-01..2026-12-31: twelve months. Its `kpis:` key is line 14, and the
# appended `defaults:` block starts at line 18.


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value).replace(str(path), "c.yaml").splitlines()


def _defaults(pace: str) -> str:
    return GOOD + f"defaults:\n  pace:\n    {pace}\n"


AT = "invalid value for 'defaults.pace.curve' at c.yaml:20"


@pytest.mark.parametrize(
    ("curve", "problems"),
    [
        (
            "[]",
            [
                f"{AT}: the curve is empty; give one weight per month of the KGI (12 for 2026-01-01..2026-12-31)"
            ],
        ),
        (
            "[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]",
            [f"{AT}: every weight is zero; at least one month must carry the target"],
        ),
        ("[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1]", [f"{AT}: weights must not be negative (month 12)"]),
        (
            "[1, 2, 3]",  # used to be padded with nine zero months
            [
                f"{AT}: 3 weights for the 12 months of the KGI (2026-01-01..2026-12-31); give one weight per month"
            ],
        ),
        (
            "[1]",
            [
                f"{AT}: 1 weight for the 12 months of the KGI (2026-01-01..2026-12-31); give one weight per month"
            ],
        ),
    ],
)
def test_bad_curves(tmp_path: Path, curve: str, problems: list[str]) -> None:
    assert _problems(tmp_path, _defaults(f"curve: {curve}")) == problems


def test_a_curve_per_month_loads(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(_defaults("curve: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9]"), encoding="utf-8")
    assert load_config(path).config.defaults.pace.curve[-1] == 9  # type: ignore[union-attr, index]


def test_cumulative_kpi_curve_checked_against_its_own_span(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    target: 600\n",
        "    target: 600\n    cumulative: true\n    start: 2026-10-01\n"
        "    rules: {pace: {curve: [1, 1, 1, 1]}}\n",
    )
    # 2026-10-01..2026-12-31 is three months (Oct, Nov, Dec); the `rules:` key is line 20.
    assert _problems(tmp_path, text) == [
        "invalid value for 'kpis[0].rules.pace.curve' at c.yaml:20: 4 weights for the 3 months of "
        "KPI 'leads' (2026-10-01..2026-12-31); give one weight per month"
    ]


def test_nan_threshold_is_refused_by_the_number_type(tmp_path: Path) -> None:
    text = GOOD + "defaults:\n  threshold: {warn: {max: .nan}}\n"
    assert _problems(tmp_path, text) == [
        "invalid value for 'defaults.threshold.warn.max' at c.yaml:19: expected a finite number (got nan)"
    ]


@pytest.mark.parametrize(
    ("milestones", "problems"),
    [
        (
            "[{date: 2025-06-30, target: 100}]",
            [
                "invalid value for 'defaults.pace.milestones[0]' at c.yaml:20: 2025-06-30 is outside the KGI's "
                "span 2026-01-01..2026-12-31 (the start and the deadline are implied)"
            ],
        ),
        (
            "[{date: 2026-09-30, target: 100}, {date: 2026-06-30, target: 200}]",
            [
                "invalid value for 'defaults.pace.milestones[1]' at c.yaml:20: 2026-06-30 does not come after 2026-09-30"
            ],
        ),
        (
            "[{date: 2026-06-30, target: 300}, {date: 2026-09-30, target: 200}]",
            [
                "invalid value for 'defaults.pace.milestones[1]' at c.yaml:20: target 200 is below the one before (300)"
            ],
        ),
    ],
)
def test_bad_milestones(tmp_path: Path, milestones: str, problems: list[str]) -> None:
    assert _problems(tmp_path, _defaults(f"milestones: {milestones}")) == problems


def test_every_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("  target: 1000\n", "  target: .inf\n").replace(
        "    target: 600\n", "    target: true\n"
    )
    assert _problems(tmp_path, text) == [
        "invalid value for 'kgi.target' at c.yaml:11: expected a finite number (got inf)",
        "invalid value for 'kpis[0].target' at c.yaml:17: expected a number, not true",
    ]


CUMULATIVE = GOOD.replace("    target: 600\n", "    target: 600\n    cumulative: true\n")
KGI_MILESTONES = "milestones: [{date: 2026-06-30, target: 500}]"  # the KGI's revenue, 500 by June


def test_default_milestones_do_not_leak_into_a_cumulative_kpi(tmp_path: Path) -> None:
    # They used to pace KPI 'leads' (600 in total) against the KGI's 500 revenue by June. The
    # `milestones` key is on line 21: GOOD's 17 lines, `cumulative:` on 18, `defaults:` 19, `pace:` 20.
    assert _problems(tmp_path, CUMULATIVE + f"defaults:\n  pace:\n    {KGI_MILESTONES}\n") == [
        "invalid value for 'defaults.pace.milestones' at c.yaml:21: milestones are targets in one number's "
        "own units and would also pace KPI 'leads'; put them under kgi.rules.pace (or each KPI's "
        "rules.pace), or give each cumulative KPI its own milestones ([] for a straight line)"
    ]


def test_default_milestones_with_every_cumulative_kpi_paced_on_its_own(tmp_path: Path) -> None:
    from kpi_cli.config.settings import rule_settings
    from kpi_cli.rules.pace import PaceSettings

    text = CUMULATIVE.replace(
        "    cumulative: true\n", "    cumulative: true\n    rules: {pace: {milestones: []}}\n"
    )
    path = tmp_path / "config.yaml"
    path.write_text(text + f"defaults:\n  pace:\n    {KGI_MILESTONES}\n", encoding="utf-8")
    config = load_config(path).config
    kpi = rule_settings(config, config.kpis[0].rules, "pace", PaceSettings)
    kgi = rule_settings(config, config.kgi.rules, "pace", PaceSettings)
    assert kpi.milestones == []  # its own straight line, not the KGI's milestones
    assert kgi.milestones is not None and [m.target for m in kgi.milestones] == [500]


def test_default_milestones_without_cumulative_kpis_still_pace_the_kgi(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD + f"defaults:\n  pace:\n    {KGI_MILESTONES}\n", encoding="utf-8")
    assert load_config(path).config.defaults.pace.milestones is not None  # type: ignore[union-attr]
