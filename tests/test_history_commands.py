"""`kpi history` and `kpi diff` through the CLI (issue 11), over runs stored by `kpi check`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.hostile.harness import assert_contract, invoke_kpi
from tests.runs_fixture import write


def _runs(tmp_path: Path) -> tuple[Path, Path]:
    history = tmp_path / "h.sqlite"
    config = write(tmp_path, 30)
    invoke_kpi("check", "-c", str(config), "--as-of", "2026-11-30", "--history", str(history))
    write(tmp_path, 80)
    invoke_kpi(
        "check", "-c", str(config), "--as-of", "2026-12-01", "--period", "2026-11", "--history", str(history)
    )
    return config, history


def test_history_lists_runs_and_months_side_by_side(tmp_path: Path) -> None:
    config, history = _runs(tmp_path)
    result = invoke_kpi("history", "-c", str(config), "--history", str(history), "--format", "json")
    assert_contract(result, json_output=True)
    doc = json.loads(result.stdout)
    assert [(r["id"], r["status"], r["new"], r["resolved"]) for r in doc["runs"]] == [
        (1, "fail", 1, 0), (2, "pass", 0, 1),
    ]  # fmt: skip
    leads = next(k for k in doc["kpis"] if k["kpi"] == "leads" and k["segment"] is None)
    assert leads["months"]["2026-11"] == {
        "value": 80.0,
        "target": 100.0,
        "status": "missed",
    }  # the later run wins
    text = invoke_kpi("history", "-c", str(config), "--history", str(history), "--lang", "ja")
    assert "KPIの月別推移" in text.stdout and "合格" in text.stdout
    md = invoke_kpi("history", "-c", str(config), "--history", str(history), "--format", "markdown")
    assert "| KPI | segment |  | 2026-11 |\n|---|---|---|---|\n| leads | all | value | 80 |" in md.stdout


def test_diff_says_what_changed_since_the_previous_run(tmp_path: Path) -> None:
    config, history = _runs(tmp_path)
    result = invoke_kpi("diff", "-c", str(config), "--history", str(history), "--format", "json")
    doc = json.loads(result.stdout)
    assert (doc["before"]["status"], doc["after"]["status"]) == ("fail", "pass")
    assert [r["code"] for r in doc["resolved"]] == ["threshold.min"] and doc["new"] == []
    text = invoke_kpi("diff", "-c", str(config), "--history", str(history)).stdout
    assert text.splitlines()[:3] == [
        "Since run 1 (2026-11-30): run 2 (2026-12-01)",
        "status fail → pass",
        "Resolved (1)",
    ]


def test_history_without_runs_says_so(tmp_path: Path) -> None:
    config = write(tmp_path, 30)
    result = invoke_kpi("history", "-c", str(config), "--history", str(tmp_path / "none.sqlite"))
    assert result.code == 0 and "no runs of 'runs test' are stored" in result.stdout
    assert not (tmp_path / "none.sqlite").exists()  # reading creates nothing
    assert invoke_kpi("diff", "-c", str(config), "--history", str(tmp_path / "none.sqlite")).code == 0
