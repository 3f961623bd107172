"""Hostile configs (issue 7), each through the CLI and checked against the contract.

Resource bombs run in a child process under the harness's time and memory limits (a real
process is what a runaway would exhaust); everything else runs in process, for speed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.config.test_loader import GOOD
from tests.hostile.harness import Result, assert_contract, invoke_kpi, run_kpi


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _one_error(result: Result, path: Path) -> str:
    assert_contract(result)
    assert result.code == 2, result.describe()
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.describe()
    return lines[0].replace(str(path), "config.yaml")


def _bomb(levels: int, fan: int = 10) -> str:
    lines = ["a0: &a0 [lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


# --- resource bombs: a real process under a 1 GB address-space limit ---


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (_bomb(10), "config.yaml:6: broken YAML: aliases here expand to more than 100,000 values"),
        ("a: &a [*a]\n", "config.yaml:1: broken YAML: an alias refers to itself"),
        (
            "x: " + "[" * 1000 + "]" * 1000 + "\n",
            "config.yaml:1:67: broken YAML: nested more than 64 levels deep",
        ),
    ],
    ids=["billion-laughs", "recursive-alias", "nesting-1000"],
)
def test_bombs_are_refused_fast_in_a_real_process(tmp_path: Path, text: str, line: str) -> None:
    path = _write(tmp_path, text)
    started = time.monotonic()
    result = run_kpi("validate", "-c", str(path), memory=512 * 1024 * 1024)
    assert _one_error(result, path) == f"kpi: error: {line}"
    assert time.monotonic() - started < 15  # start-up included; the refusal itself is milliseconds


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_device_is_refused_by_kind(tmp_path: Path) -> None:
    result = run_kpi("validate", "-c", "/dev/zero", memory=512 * 1024 * 1024)
    assert _one_error(result, Path("/dev/zero")) == (
        "kpi: error: config.yaml: is a character device, expected a config file"
    )


def test_fifo_does_not_block(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    result = invoke_kpi("validate", "-c", str(fifo), timeout=5)
    assert (
        _one_error(result, fifo) == "kpi: error: config.yaml: is a named pipe (FIFO), expected a config file"
    )


# --- broken YAML and wrong values, in process, exact lines ---

_REVIEW_BY = "    target: 600\n    review_by: {}\n"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            GOOD.replace("    target: 600\n", _REVIEW_BY.format("2026-02-30")),
            "config.yaml:18:16: broken YAML: '2026-02-30' is not a real date",
        ),
        (
            GOOD.replace("    target: 600\n", _REVIEW_BY.format("2026-13-01")),
            "config.yaml:18:16: broken YAML: '2026-13-01' is not a real date",
        ),
        (
            GOOD.replace("    target: 600\n", _REVIEW_BY.format("2026-04-31")),
            "config.yaml:18:16: broken YAML: '2026-04-31' is not a real date",
        ),
        (
            GOOD.replace("    target: 600\n", _REVIEW_BY.format("2025-02-29")),
            "config.yaml:18:16: broken YAML: '2025-02-29' is not a real date",
        ),
        (
            GOOD.replace("    target: 600\n", _REVIEW_BY.format("'2026-02-30'")),
            "invalid value for 'kpis[0].review_by' at config.yaml:18: expected a date (YYYY-MM-DD) (got '2026-02-30')",
        ),
        (
            GOOD.replace("name: test", "name: te\x00st"),
            "config.yaml:2:9: broken YAML: a NUL byte is not allowed",
        ),
        (
            GOOD.replace("name: test", "name: te\x07st"),
            "config.yaml:2:9: broken YAML: character #x0007 is not allowed",
        ),
        (GOOD + 'x: "open\n', "config.yaml:18:4: broken YAML: a quoted value is never closed"),
        (
            GOOD + "x: 'open\n" + "y: 1\n" * 300,
            "config.yaml:18:4: broken YAML: a quoted value is never closed",
        ),
        (GOOD + "name: again\n", "duplicate key 'name' at config.yaml:18"),
        (
            GOOD + "x: !!python/object/apply:os.system ['true']\n",
            "config.yaml:18:4: broken YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
        (
            GOOD.replace("  target: 1000", "  target: true"),
            "invalid value for 'kgi.target' at config.yaml:11: expected a number, not true",
        ),
        (
            GOOD.replace("  target: 1000", "  target: .nan"),
            "invalid value for 'kgi.target' at config.yaml:11: expected a finite number (got nan)",
        ),
        (
            GOOD.replace("  target: 1000", "  target: -.inf"),
            "invalid value for 'kgi.target' at config.yaml:11: expected a finite number (got -inf)",
        ),
        (
            GOOD.replace("  target: 1000", "  target: 1e999"),
            "invalid value for 'kgi.target' at config.yaml:11: expected a finite number (got '1e999')",
        ),
        (
            GOOD.replace("version: 1", "version: 2"),
            "invalid value for 'version' at config.yaml:1: expected 1 (got 2)",
        ),
        ("", "config.yaml: expected a mapping of settings at the top level, got nothing"),
        ("just text\n", "config.yaml: expected a mapping of settings at the top level, got str"),
        ("- a\n- b\n", "config.yaml: expected a mapping of settings at the top level, got list"),
        ("a: [1, 2\n", "config.yaml:2:1: broken YAML: expected ',' or ']', but got '<stream end>'"),
        ("a:\n\tb: 1\n", "config.yaml:2:1: broken YAML: found character '\\t' that cannot start any token"),
        ("? [a, b]\n: 1\n", "config.yaml:1:3: broken YAML: found unhashable key"),
        (b"\xff\xfe" + GOOD.encode("utf-16-le"), "config.yaml:1: config is not UTF-8 text (byte 0)"),
        (
            GOOD.encode().replace(b"name: test", b"name: \x93test"),
            "config.yaml:2: config is not UTF-8 text (byte 17)",
        ),
        (
            "---\na: 1\n---\nb: 2\n",
            "config.yaml:3:1: broken YAML: expected a single document in the stream, but found another document",
        ),
        (
            GOOD.replace("  metric: revenue", "  metric: \x1b]8;;http://x\x1b\\\\link"),
            "config.yaml:10:11: broken YAML: character #x001b is not allowed",
        ),
    ],
)
def test_yaml_cases(tmp_path: Path, text: str | bytes, line: str) -> None:
    path = _write(tmp_path, text)
    assert _one_error(invoke_kpi("validate", "-c", str(path)), path) == f"kpi: error: {line}"


def test_missing_config_and_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert _one_error(invoke_kpi("validate", "-c", str(missing)), missing) == (
        "kpi: error: config.yaml: config file not found".replace("config.yaml", str(missing))
    ).replace(str(missing), "config.yaml")
    assert _one_error(invoke_kpi("validate", "-c", str(tmp_path)), tmp_path) == (
        "kpi: error: config.yaml: is a directory, expected a config file"
    )


def test_oversize_config(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "#" * (256 * 1024) + "\n")
    size = path.stat().st_size
    assert _one_error(invoke_kpi("validate", "-c", str(path)), path) == (
        f"kpi: error: config.yaml: the config file is {size:,} bytes, more than the 262,144 allowed"
    )


def test_several_problems_are_several_lines(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        GOOD.replace("  target: 1000", "  target: true").replace(
            "    target: 600\n", "    target: 600\n    ownr: x\n"
        ),
    )
    result = invoke_kpi("validate", "-c", str(path))
    assert_contract(result)
    assert result.stderr.replace(str(path), "config.yaml").splitlines() == [
        "kpi: error: unknown key 'ownr' at config.yaml:18, did you mean 'owner'?",
        "kpi: error: invalid value for 'kgi.target' at config.yaml:11: expected a number, not true",
    ]


@pytest.mark.parametrize(
    ("pace", "fragment"),
    [
        ("curve: []", "the curve is empty"),
        ("curve: [0,0,0,0,0,0,0,0,0,0,0,0]", "every weight is zero"),
        ("curve: [1,1,1]", "3 weights for the 12 months of the KGI"),
        ("curve: [1,1,1,1,1,1,1,1,1,1,1,-5]", "weights must not be negative (month 12)"),
        ("curve: [.nan,1,1,1,1,1,1,1,1,1,1,1]", "expected a finite number (got nan)"),
        ("milestones: [{date: 2027-01-31, target: 5}]", "is outside the KGI's span"),
        ("{on_track: .nan}", "(got nan)"),
    ],
)
def test_pace_settings(tmp_path: Path, pace: str, fragment: str) -> None:
    text = GOOD + (
        f"defaults:\n  pace: {pace}\n" if pace.startswith("{") else f"defaults:\n  pace:\n    {pace}\n"
    )
    path = _write(tmp_path, text)
    line = _one_error(invoke_kpi("validate", "-c", str(path)), path)
    assert line.startswith("kpi: error: invalid value for 'defaults.pace") and fragment in line, line
