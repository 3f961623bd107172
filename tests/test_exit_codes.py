"""The exit-code contract: pinned values, and every path that ends a run mapped to one of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.exit_codes import ExitCode, FailOn, exit_code
from kpi_cli.findings import Severity

INFO, WARN, FAIL = Severity.INFO, Severity.WARN, Severity.FAIL
ROOT = Path(__file__).parent.parent
SAAS = ROOT / "configs" / "saas_leadgen.yaml"
ENV = {"COLUMNS": "160", "TERM": "dumb", "NO_COLOR": "1"}


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([], "fail", ExitCode.OK),
        ([INFO], "warn", ExitCode.OK),
        ([INFO, WARN], "fail", ExitCode.OK),
        ([INFO, WARN], "warn", ExitCode.FINDINGS),
        ([FAIL], "fail", ExitCode.FINDINGS),
        ([FAIL], "warn", ExitCode.FINDINGS),
        ([FAIL, WARN], "never", ExitCode.OK),
        ([FAIL], FailOn.NEVER, ExitCode.OK),
    ],
)
def test_exit_code(severities: list[Severity], fail_on: str, expected: ExitCode) -> None:
    assert exit_code(severities, fail_on) is expected


@pytest.mark.parametrize(
    ("code", "value"),
    [
        (ExitCode.OK, 0),
        (ExitCode.FINDINGS, 1),
        (ExitCode.ERROR, 2),
        (ExitCode.INTERNAL, 3),
        (ExitCode.INTERRUPTED, 130),
    ],
)
def test_exit_code_values_are_the_documented_contract(code: ExitCode, value: int) -> None:
    assert int(code) == value
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| {value} |" in readme, f"exit code {value} is not documented in the README"


def test_no_other_exit_codes_exist() -> None:
    assert sorted(int(c) for c in ExitCode) == [0, 1, 2, 3, 130]


def _boom(*_: object, **__: object) -> None:
    raise RuntimeError("unexpected\x1b[2J state\nsecond line")


@pytest.mark.parametrize("command", ["review", "check"])
def test_an_unexpected_exception_is_exit_3_in_one_line(monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    from kpi_cli.commands import check, review

    module = {"review": review, "check": check}[command]
    monkeypatch.setattr(module, "run", _boom)
    result = CliRunner().invoke(app, [command, "-c", str(SAAS)], env=ENV)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        # the escape byte is gone (what is left of the sequence is harmless text), the lines folded
        "kpi: internal error: RuntimeError: unexpected[2J state second line; rerun with --debug and report it\n"
    )


def test_debug_lets_the_internal_error_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpi_cli.commands import review

    monkeypatch.setattr(review, "run", _boom)
    result = CliRunner().invoke(app, ["--debug", "review", "-c", str(SAAS)], env=ENV)
    assert isinstance(result.exception, RuntimeError)


def test_keyboard_interrupt_is_130(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpi_cli.commands import review

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(review, "run", interrupted)
    result = CliRunner().invoke(app, ["review", "-c", str(SAAS)], env=ENV)
    assert (result.exit_code, result.stderr) == (130, "kpi: interrupted\n")


def _kpi(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "kpi_cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV, **(env or {})},
        cwd=ROOT,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


def test_a_closed_pipe_ends_quietly_with_the_evaluations_exit_code() -> None:
    """`kpi check | head -1`: the reader leaving is not a crash, and the gate's verdict survives."""
    script = (
        f"{sys.executable} -m kpi_cli check -c {SAAS} --as-of 2026-11-20 --format json | head -c 10 >/dev/null;"
        ' echo "exit=${PIPESTATUS[0]}"'
    )
    import os

    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        cwd=ROOT,
        check=False,
    )
    assert result.stdout.strip() == "exit=1"  # the sample has fail findings: the gate still fails
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_stdout_that_cannot_encode_unicode_gets_escapes() -> None:
    result = _kpi("review", "-c", str(SAAS), "--as-of", "2026-11-20", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    result.stdout.encode("ascii")  # every byte printable in the terminal's encoding


def test_check_json_is_strict_json_through_the_process() -> None:
    result = _kpi("check", "-c", str(SAAS), "--as-of", "2026-11-20", "--format", "json", "--fail-on", "never")
    assert result.returncode == 0
    json.loads(result.stdout, parse_constant=lambda name: pytest.fail(f"bare {name} in JSON"))


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["check"], "kpi: error: missing option --config (see 'kpi check --help')"),
        (["check", "-c"], "kpi: error: Option '-c' requires an argument."),
        (["chek"], "kpi: error: No such command 'chek'. Did you mean 'check', 'checkin'? (see 'kpi --help')"),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Click's own errors used to come as a five-line box; now like every other bad input."""
    from kpi_cli.cli import main

    assert main(argv) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", line + "\n")


def test_several_config_problems_are_one_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpi_cli.commands import review
    from kpi_cli.errors import ConfigError

    def broken(*_: object, **__: object) -> None:
        raise ConfigError("c.yaml:3: first problem\nc.yaml:9: second problem")

    monkeypatch.setattr(review, "run", broken)
    result = CliRunner().invoke(app, ["review", "-c", str(SAAS)], env=ENV)
    assert result.exit_code == 2
    assert result.stderr == "kpi: error: c.yaml:3: first problem\nkpi: error: c.yaml:9: second problem\n"
