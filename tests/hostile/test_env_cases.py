"""Hostile environments (issue 7): odd encodings, terminals, widths, homes, folders and streams.

Encodings and a closed stdin need a real process (the interpreter sets its streams up before kpi
runs); widths, colours, HOME and folders are read by kpi at run time, so they run in process.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.hostile.harness import ROOT, Result, assert_contract, invoke_kpi, run_kpi

SAAS = str(ROOT / "configs" / "saas_leadgen.yaml")
REVIEW = ("review", "-c", SAAS, "--as-of", "2026-11-20")
CHECK_JSON = ("check", "-c", SAAS, "--as-of", "2026-11-20", "--format", "json", "--fail-on", "never")


def _ok(result: Result, *, json_output: bool = False) -> Result:
    assert_contract(result, json_output=json_output)
    assert result.code == 0, result.describe()
    return result


# --- a real process ---


def test_ascii_stdout_gets_escapes_not_a_crash() -> None:
    result = _ok(run_kpi(*REVIEW, env={"PYTHONIOENCODING": "ascii"}))
    # The ★ primary-KPI marker, escaped (U+2605); the ◀ bottleneck marker it probed before is no
    # longer on the sample since the funnel table marks only what the funnel rule finds.
    assert "\\u2605" in result.stdout


def test_c_locale() -> None:
    result = _ok(run_kpi(*CHECK_JSON, env={"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}), json_output=True)
    assert '"as_of": "2026-11-20"' in result.stdout


def test_stdin_closed() -> None:
    _ok(run_kpi(*CHECK_JSON, close_stdin=True), json_output=True)


# --- in process ---


@pytest.mark.parametrize("columns", ["0", "abc", "100000", "-5", "", "1"])
def test_any_columns_value(columns: str) -> None:
    result = _ok(invoke_kpi(*REVIEW, env={"COLUMNS": columns}))
    assert "KGI" in result.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"NO_COLOR": "1", "TERM": "xterm-256color"},
        {"NO_COLOR": None, "TERM": "dumb"},
        {"NO_COLOR": None, "TERM": None},
        {"FORCE_COLOR": "1", "NO_COLOR": None},  # a pipe under FORCE_COLOR: still no escape bytes?
        {"HOME": None},
        {"HOME": "/nonexistent/home"},
        {"HOME": "/dev/null"},
        {"LINES": "abc"},
        {"TZ": "Pacific/Kiritimati"},
        {"TZ": "garbage"},
    ],
    ids=[
        "no-color",
        "dumb",
        "no-term",
        "force-color",
        "no-home",
        "missing-home",
        "file-home",
        "lines",
        "tz-14",
        "tz-bad",
    ],
)
def test_environment(env: dict[str, str | None]) -> None:
    result = invoke_kpi(*REVIEW, env=env)
    if env.get("FORCE_COLOR") == "1" and "\x1b" in result.stdout:
        pytest.xfail("FORCE_COLOR asks for colour codes even in a pipe; render/ owns that choice")
    _ok(result)


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The SaaS sample in a folder of its own (the config reads ../sample_data/saas)."""
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    shutil.copytree(ROOT / "sample_data" / "saas", tmp_path / "sample_data" / "saas")
    return tmp_path / "configs" / "saas_leadgen.yaml"


def _unwritable(result: Result, history: Path, reason: str) -> None:
    assert_contract(result)
    assert result.code == 2
    assert result.stderr == (
        f"kpi: error: {history}: cannot write the history database there ({reason}); name a writable "
        "file with --history or KPI_HISTORY, or pass --no-history\n"
    )


def test_check_beside_a_config_where_nothing_can_be_created(
    copied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The history default is .kpi/history.sqlite beside the config. A file named .kpi blocks it as
    # a read-only folder would (and still does so as root, where modes are ignored). Since issue 11
    # a check stores its run, so it says why it cannot, as a check-in does; --no-history works.
    monkeypatch.delenv("KPI_HISTORY")
    (copied.parent / ".kpi").write_text("in the way", encoding="utf-8")
    history = copied.parent / ".kpi" / "history.sqlite"
    check = ("check", "-c", str(copied), "--as-of", "2026-11-20", "--fail-on", "never")
    _unwritable(invoke_kpi(*check), history, "a file is in the way of its folder")
    assert _ok(invoke_kpi(*check, "--no-history")).stderr == ""
    refused = invoke_kpi("checkin", "-c", str(copied), "--kpi", "leads", "--confidence", "at_risk")
    _unwritable(refused, history, "a file is in the way of its folder")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file modes")
def test_check_beside_a_read_only_config_folder(copied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPI_HISTORY")
    folder = copied.parent
    folder.chmod(0o555)
    try:
        check = ("check", "-c", str(copied), "--as-of", "2026-11-20", "--fail-on", "never")
        _unwritable(invoke_kpi(*check), folder / ".kpi" / "history.sqlite", "the folder is read-only")
        result = _ok(invoke_kpi(*check, "--no-history"))
        assert not (folder / ".kpi").exists() and result.stderr == ""
    finally:
        folder.chmod(0o755)


def test_relative_config_from_another_working_folder(copied: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _ok(
        invoke_kpi(
            "check",
            "-c",
            "../configs/saas_leadgen.yaml",
            "--as-of",
            "2026-11-20",
            "--fail-on",
            "never",
            cwd=elsewhere,
        )
    )
