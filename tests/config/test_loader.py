from __future__ import annotations

from pathlib import Path

import pytest

from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError

GOOD = """\
version: 1
name: test
sources:
  - name: crm
    path: crm.csv
metrics:
  cpa: cost / customers
kgi:
  name: Revenue
  metric: revenue
  target: 1000
  start: 2026-01-01
  deadline: 2026-12-31
kpis:
  - id: leads
    metric: leads
    target: 600
"""


def _load(tmp_path: Path, text: str) -> Exception:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


def test_good_config_loads_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_config(path)
    kpi = loaded.config.kpis[0]
    assert (kpi.period, kpi.direction, kpi.warn_days, kpi.primary) == ("month", "up", 14, False)
    assert loaded.base_dir == tmp_path
    assert loaded.catalog.columns("cpa") == {"cost", "customers"}


def test_unknown_top_level_key_names_line_and_suggestion(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("kpis:", "kpiz:"))
    # Both problems, one per line, the cause (the typo) first: no more "(and 1 more problem)".
    path = tmp_path / "config.yaml"
    assert str(error).splitlines() == [
        f"unknown key 'kpiz' at {path}:14, did you mean 'kpis'?",
        f"missing key 'kpis' in the top level at {path}:1",
    ]


def test_unknown_nested_key(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("    target: 600", "    target: 600\n    ownr: Tanaka"))
    assert str(error) == f"unknown key 'ownr' at {tmp_path / 'config.yaml'}:18, did you mean 'owner'?"


def test_wrong_type_names_key_and_expectation(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("target: 600", "target: lots"))
    assert str(error) == (
        f"invalid value for 'kpis[0].target' at {tmp_path / 'config.yaml'}:17: expected a number (got 'lots')"
    )


def test_bad_choice_lists_the_choices(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("    target: 600", "    target: 600\n    direction: sideways"))
    assert str(error) == (
        f"invalid value for 'kpis[0].direction' at {tmp_path / 'config.yaml'}:18: "
        "expected 'up' or 'down' (got 'sideways')"
    )


def test_missing_key(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("    metric: leads\n", ""))
    assert str(error) == f"missing key 'metric' in kpis[0] at {tmp_path / 'config.yaml'}:15"


def test_broken_yaml_names_line_and_column(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("name: test", "name: [test"))
    # The unclosed bracket is only noticed at the colon of the next key (line 3, column 8).
    assert str(error) == f"{tmp_path / 'config.yaml'}:3:8: broken YAML: expected ',' or ']', but got ':'"


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD + "name: again\n")
    assert str(error) == f"duplicate key 'name' at {tmp_path / 'config.yaml'}:18"


def test_unknown_metric_suggests_the_closest(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("metric: leads", "metric: leadz"))
    assert str(error) == f"unknown metric 'leadz' at {tmp_path / 'config.yaml'}:16, did you mean 'leads'?"


def test_bad_formula_is_placed(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("cost / customers", "cost / customerz"))
    assert str(error) == (
        f"invalid metric 'cpa' at {tmp_path / 'config.yaml'}:7: "
        "unknown metric 'customerz' in 'cost / customerz'"
    )


def test_formula_may_not_call_functions(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("cost / customers", "__import__('os')"))
    assert str(error) == (
        f"invalid metric 'cpa' at {tmp_path / 'config.yaml'}:7: column 1 of '__import__('os')': "
        "calling '__import__' is not allowed (only metric names, numbers, + - * / and parentheses are allowed)"
    )


def test_deadline_before_start(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("deadline: 2026-12-31", "deadline: 2025-12-31"))
    assert str(error) == f"invalid value for 'kgi' at {tmp_path / 'config.yaml'}:8: deadline is before start"


def test_missing_and_non_mapping_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")
    error = _load(tmp_path, "- just\n- a list\n")
    assert (
        str(error) == f"{tmp_path / 'config.yaml'}: expected a mapping of settings at the top level, got list"
    )


def test_durations_accept_days_and_weeks(tmp_path: Path) -> None:
    text = GOOD.replace("    path: crm.csv", "    path: crm.csv\n    max_age: 2w")
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_config(path).config.sources[0].max_age == 14


def test_where_names_a_configured_source(tmp_path: Path) -> None:
    error = _load(tmp_path, GOOD.replace("    target: 600", "    target: 600\n    where: {source: cmr}"))
    assert str(error) == f"unknown source 'cmr' at {tmp_path / 'config.yaml'}:18, did you mean 'crm'?"


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("target", "true", "expected a number, not true"),
        ("target", ".nan", "expected a finite number (got nan)"),
        ("target", ".inf", "expected a finite number (got inf)"),
        ("warn_days", "false", "expected a number, not false"),
    ],
)
def test_numbers_are_finite_and_never_booleans(tmp_path: Path, key: str, value: str, problem: str) -> None:
    """`target: true` used to become 1.0 and `.nan` a target nothing can reach: both gave verdicts."""
    path = tmp_path / "c.yaml"
    path.write_text(
        "version: 1\nname: t\nsources: [{name: s, path: s.csv}]\n"
        "kgi: {name: R, metric: revenue, target: 10, start: 2026-01-01, deadline: 2026-12-31}\n"
        "kpis:\n  - id: leads\n    metric: leads\n"
        + ("" if key == "target" else "    target: 5\n")
        + f"    {key}: {value}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert str(raised.value).startswith(f"invalid value for 'kpis[0].{key}' at {path}:")
    assert problem in str(raised.value)
