"""Memory across `kpi check` runs (issue 11): new/ongoing/resolved, for_runs, repeat_every,
--only-new, --quiet, and the webhook against a real HTTP server on localhost."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.hostile.harness import Result, assert_contract, invoke_kpi
from tests.runs_fixture import write
from tests.webhooks import Hook, started_hooks


@pytest.fixture
def hook_with() -> Iterator[type[Hook]]:
    yield from started_hooks()


def check(
    config: Path, *args: str, as_of: str = "2026-11-30", env: dict[str, str | None] | None = None
) -> Result:
    history = config.parent / "h.sqlite"
    result = invoke_kpi(
        "check", "-c", str(config), "--as-of", as_of, "--history", str(history), *args, env=env
    )  # fmt: skip
    assert_contract(result, json_output="json" in args)
    return result


def states(result: Result) -> tuple[list[tuple[str, str]], list[str]]:
    doc = json.loads(result.stdout)
    return [(f["code"], f["state"]) for f in doc["findings"]], [r["code"] for r in doc["resolved"]]


def test_new_then_ongoing_then_resolved(tmp_path: Path) -> None:
    config = write(tmp_path, 30)  # 30 < fail minimum 50: threshold.min fires
    first = check(config, "--format", "json")
    assert states(first) == ([("threshold.min", "new")], []) and first.code == 1
    assert json.loads(first.stdout)["previous_run"] is None
    second = check(config, "--format", "json")
    assert states(second) == ([("threshold.min", "ongoing")], [])
    assert json.loads(second.stdout)["previous_run"]["id"] == 1
    write(tmp_path, 80)  # back above the minimum
    third = check(config, "--format", "json")
    assert states(third) == ([], ["threshold.min"]) and third.code == 0
    assert json.loads(third.stdout)["resolved"][0]["message"] == (
        "leads (2026-11): 30 is below the fail minimum 50"
    )
    # and what was stored: three runs, statuses fail, fail, pass
    with closing(sqlite3.connect(tmp_path / "h.sqlite")) as db:
        assert db.execute("SELECT id, status FROM runs ORDER BY id").fetchall() == [
            (1, "fail"), (2, "fail"), (3, "pass"),
        ]  # fmt: skip
        assert db.execute("SELECT run_id, state, streak FROM run_findings ORDER BY run_id").fetchall() == [
            (1, "new", 1), (2, "ongoing", 2),
        ]  # fmt: skip


def test_text_marks_only_once_there_is_a_previous_run(tmp_path: Path) -> None:
    config = write(tmp_path, 30)
    assert "[new]" not in check(config).stdout  # a first run: every finding is new, so no marks
    second = check(config, "--lang", "ja")
    assert "［継続］" in second.stdout
    write(tmp_path, 80)
    third = check(config, "--format", "markdown")
    assert "**Resolved since the previous run (1)**" in third.stdout


def test_only_new_reports_and_gates_only_new_findings(tmp_path: Path) -> None:
    config = write(tmp_path, 30)
    assert check(config, "--only-new").code == 1  # new on the first run: gates
    again = check(config, "--only-new", "--format", "json")
    assert again.code == 0 and json.loads(again.stdout)["findings"] == []  # ongoing: left out
    assert check(config).code == 1  # without the flag the ongoing finding still gates


def test_for_runs_holds_a_finding_until_seen_on_n_consecutive_runs(tmp_path: Path) -> None:
    extra = "  threshold: {for_runs: 3}\n"  # under defaults:, beside the rules switched off
    config = write(tmp_path, 30, extra)
    for run in (1, 2):
        held = check(config, "--format", "json")
        doc = json.loads(held.stdout)
        assert held.code == 0 and doc["findings"] == [] and doc["status"] == "pass"
        assert [(p["code"], p["runs"]) for p in doc["pending"]] == [("threshold.min", run)]
    fired = check(config, "--format", "json")
    assert fired.code == 1 and states(fired) == ([("threshold.min", "new")], [])
    # a flap resets the count: one good run, then bad again is pending, not ongoing
    write(tmp_path, 80, extra)
    assert states(check(config, "--format", "json")) == ([], ["threshold.min"])
    write(tmp_path, 30, extra)
    flapped = json.loads(check(config, "--format", "json").stdout)
    assert flapped["findings"] == [] and flapped["pending"][0]["runs"] == 1


def test_for_runs_is_accepted_on_a_rule_without_settings_and_checked(tmp_path: Path) -> None:
    ok = write(tmp_path, 30, "  lint: {for_runs: 2, repeat_every: 2w}\n")
    assert check(ok, "--format", "json").code == 1
    bad = write(tmp_path, 30, "  lint: {for_runs: 0}\n")
    refused = invoke_kpi("check", "-c", str(bad), "--no-history")
    assert refused.code == 2 and "for_runs" in refused.stderr


def test_quiet_prints_nothing_unless_something_reached_fail_on(tmp_path: Path) -> None:
    config = write(tmp_path, 80)
    quiet = check(config, "--quiet")
    assert (quiet.code, quiet.stdout) == (0, "")
    write(tmp_path, 30)
    loud = check(config, "--quiet")
    assert loud.code == 1 and "threshold" in loud.stdout


def test_no_history_stores_nothing_and_every_finding_is_new(tmp_path: Path) -> None:
    config = write(tmp_path, 30)
    for _ in range(2):
        assert states(check(config, "--no-history", "--format", "json")) == ([("threshold.min", "new")], [])
    assert not (tmp_path / "h.sqlite").exists()


NOTIFY = """notify:
  url_env: KPI_TEST_HOOK
  lang: ja
  timeout: 0.3
  retries: {retries}
"""


def _notify_config(tmp_path: Path, leads: int, retries: int = 1, repeat: str = "") -> Path:
    rules = f"  threshold: {{repeat_every: {repeat}}}\n" if repeat else ""
    return write(tmp_path, leads, rules + NOTIFY.format(retries=retries))


def _notifications(tmp_path: Path) -> list[tuple[int, int, int | None, str | None, int]]:
    with closing(sqlite3.connect(tmp_path / "h.sqlite")) as db:
        return db.execute(
            "SELECT run_id, ok, attempts, error, findings FROM notifications ORDER BY rowid"
        ).fetchall()


def test_webhook_on_new_and_resolved_only_in_the_configs_language(
    tmp_path: Path, hook_with: type[Hook]
) -> None:
    hook = hook_with([(200, 0)])
    env: dict[str, str | None] = {"KPI_TEST_HOOK": hook.url}
    config = _notify_config(tmp_path, 30)
    assert check(config, env=env).stderr == ""
    assert len(hook.bodies) == 1
    text = hook.bodies[0]["text"]  # type: ignore[index]
    assert "30" in text and "失敗" in text and "threshold" not in text  # Japanese, as notify.lang says
    check(config, env=env)  # ongoing, no repeat_every: nothing sent
    assert len(hook.bodies) == 1
    _notify_config(tmp_path, 80)
    check(config, env=env)  # resolved: sent
    assert len(hook.bodies) == 2 and "前回から解消（1件）" in hook.bodies[1]["text"]  # type: ignore[index]
    assert _notifications(tmp_path) == [(1, 1, 1, None, 1), (3, 1, 1, None, 0)]


def test_webhook_500_then_success_is_retried(tmp_path: Path, hook_with: type[Hook]) -> None:
    hook = hook_with([(500, 0), (200, 0)])
    result = check(_notify_config(tmp_path, 30), env={"KPI_TEST_HOOK": hook.url})
    assert result.stderr == "" and len(hook.bodies) == 2
    assert _notifications(tmp_path) == [(1, 1, 2, None, 1)]


def test_webhook_timeout_warns_keeps_run_and_exit_code_and_retries_next_run(
    tmp_path: Path, hook_with: type[Hook]
) -> None:
    slow = hook_with([(200, 1.0)])
    config = _notify_config(tmp_path, 30, retries=0)
    result = check(config, "--format", "json", env={"KPI_TEST_HOOK": slow.url})
    assert result.code == 1  # the gate's verdict, untouched by the failed notification
    assert result.stderr == "kpi: warning: notification not sent after 1 attempt: no answer within 0.3 s\n"
    assert _notifications(tmp_path) == [(1, 0, 1, "no answer within 0.3 s", 1)]
    # the finding was never delivered, so the next run sends it although it is ongoing now
    fast = hook_with([(200, 0)])
    check(config, env={"KPI_TEST_HOOK": fast.url})
    assert len(fast.bodies) == 1
    assert _notifications(tmp_path)[-1] == (2, 1, 1, None, 1)


def test_missing_url_variable_is_a_warning(tmp_path: Path) -> None:
    result = check(_notify_config(tmp_path, 30), env={"KPI_TEST_HOOK": None})
    assert (
        result.code == 1
        and result.stderr == "kpi: warning: notification not sent: $KPI_TEST_HOOK is not set\n"
    )


def test_repeat_every_repeats_an_ongoing_finding(tmp_path: Path, hook_with: type[Hook]) -> None:
    hook = hook_with([(200, 0)])
    env: dict[str, str | None] = {"KPI_TEST_HOOK": hook.url}
    config = _notify_config(tmp_path, 30, repeat="7d")
    for day in ("2026-11-30", "2026-12-03", "2026-12-06", "2026-12-07", "2026-12-08"):
        check(config, "--period", "2026-11", as_of=day, env=env)
    # sent on the 30th (new), not on the 3rd or 6th (3 and 6 days later), again on the 7th (7 days)
    assert len(hook.bodies) == 2
    assert [row[0] for row in _notifications(tmp_path)] == [1, 4]
