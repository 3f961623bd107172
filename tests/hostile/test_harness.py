"""The harness itself: it must catch what it exists to catch."""

from __future__ import annotations

import pytest

from tests.hostile.harness import ROOT, Result, assert_contract, run_kpi


def test_a_good_run_passes() -> None:
    result = run_kpi("validate", "-c", str(ROOT / "configs" / "saas_leadgen.yaml"))
    assert result.code == 0
    assert_contract(result)


@pytest.mark.parametrize(
    "bad",
    [
        Result(3, "", "kpi: internal error: X; rerun with --debug and report it\n", ()),
        Result(2, "", "kpi: error: one\n  continued\n", ()),
        Result(2, "", "kpi: error: no newline", ()),
        Result(2, "", "Traceback (most recent call last):\n", ()),
        Result(0, "\x1b[2J", "", ()),
        Result(0, '{"a": NaN}', "", ()),
    ],
)
def test_the_contract_catches_each_breach(bad: Result) -> None:
    with pytest.raises(AssertionError):
        assert_contract(bad, json_output=True)


def test_a_case_past_its_memory_limit_fails() -> None:
    result = run_kpi("validate", "-c", str(ROOT / "configs" / "saas_leadgen.yaml"), memory=150 * 1024 * 1024)
    assert result.code != 0
    with pytest.raises(AssertionError):
        assert_contract(result)
