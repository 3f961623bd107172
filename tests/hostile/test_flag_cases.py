"""Hostile command-line flags (issue 7): each ends in the contract, and where the issue says what
must happen, in that exact line. In process: a real child process adds nothing for flags."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.harness import ROOT, assert_contract, invoke_kpi

SAAS = str(ROOT / "configs" / "saas_leadgen.yaml")
AS_OF = "2026-11-20"


def _check(*flags: str) -> tuple[int, str]:
    result = invoke_kpi("check", "-c", SAAS, "--fail-on", "never", *flags)
    assert_contract(result)
    return result.code, result.stderr


@pytest.mark.parametrize(
    ("flags", "line"),
    [
        # The data of the SaaS sample starts 2026-06-01 (sample_data/saas, first row of every file).
        (("--period", "2026-03"), "--period: 2026-03 is before the data, which starts 2026-06-01"),
        (("--period", "2020-01"), "--period: 2020-01 is before the data, which starts 2026-06-01"),
        (("--period", "2026-05"), "--period: 2026-05 is before the data, which starts 2026-06-01"),
        (
            ("--period", "2026-W43"),
            "--period: '2026-W43' is a week; the review is monthly: give a month (YYYY-MM, e.g. 2026-10)",
        ),
        (("--period", "0001-01"), "--period: '0001-01' is outside the years 1900-2200"),
        (("--period", "1899-12"), "--period: '1899-12' is outside the years 1900-2200"),
        (("--period", "2201-01"), "--period: '2201-01' is outside the years 1900-2200"),
        (("--period", "2026-13"), "--period: '2026-13' has no month 13 (YYYY-MM, e.g. 2026-10)"),
        (("--period", "2026-00"), "--period: '2026-00' has no month 0 (YYYY-MM, e.g. 2026-10)"),
        (("--period", "2026-12"), "--period: 2026-12 is after the month of --as-of (2026-11-20)"),
        (("--period", "2027-01"), "--period: 2027-01 is after the month of --as-of (2026-11-20)"),
        (("--period", "abc"), "--period: cannot read 'abc' as a month (YYYY-MM, e.g. 2026-10)"),
        (("--period", ""), "--period: cannot read '' as a month (YYYY-MM, e.g. 2026-10)"),
        (("--period", "2026-10-01"), "--period: cannot read '2026-10-01' as a month (YYYY-MM, e.g. 2026-10)"),
        (("--period", "2026/10"), "--period: cannot read '2026/10' as a month (YYYY-MM, e.g. 2026-10)"),
        (
            ("--period", "\x1b[2J2026-10"),
            "--period: cannot read '[2J2026-10' as a month (YYYY-MM, e.g. 2026-10)",
        ),
    ],
)
def test_period_refusals(flags: tuple[str, ...], line: str) -> None:
    code, err = _check("--as-of", AS_OF, *flags)
    assert (code, err) == (2, f"kpi: error: {line}\n")


@pytest.mark.parametrize(
    ("as_of", "line"),
    [
        ("0001-01-01", "--as-of: 0001-01-01 is outside the years 1900-2200"),
        ("9999-12-31", "--as-of: 9999-12-31 is outside the years 1900-2200"),
        ("1899-12-31", "--as-of: 1899-12-31 is outside the years 1900-2200"),
        ("2026-02-30", "--as-of: cannot read '2026-02-30' as a date (YYYY-MM-DD)"),
        ("tomorrow", "--as-of: cannot read 'tomorrow' as a date (YYYY-MM-DD)"),
        ("", "--as-of: cannot read '' as a date (YYYY-MM-DD)"),
        ("2026-11-20T00:00", "--as-of: cannot read '2026-11-20T00:00' as a date (YYYY-MM-DD)"),
    ],
)
def test_as_of_refusals(as_of: str, line: str) -> None:
    assert _check("--as-of", as_of) == (2, f"kpi: error: {line}\n")


@pytest.mark.parametrize("period", ["2026-06", "2026-10", "2026-11", " 2026-10 ", "2026-6"])
def test_months_with_data_review_fine(period: str) -> None:
    code, err = _check("--as-of", AS_OF, "--period", period)
    assert code == 0 and err == ""


def test_as_of_before_the_data_still_ends_in_the_contract() -> None:
    _check("--as-of", "1990-01-01")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("--by", "nope"), "--by: 'nope' is not one of segment, channel, campaign, account, influencer"),
        (
            ("--format", "xml"),
            "--format: 'xml' is not one of text, json, markdown, junit, github (see 'kpi check --help')",
        ),
        (("--fail-on", "maybe"), "--fail-on: 'maybe' is not one of warn, fail, never"),
    ],
)
def test_choice_refusals(args: tuple[str, ...], line: str) -> None:
    result = invoke_kpi("check", "-c", SAAS, "--as-of", AS_OF, *args)
    assert_contract(result)
    assert (result.code, result.stderr) == (2, f"kpi: error: {line}\n")


@pytest.mark.parametrize("window", ["0", "-1", "abc", "1.5", "99999999999999999999"])
def test_plan_window_refusals(window: str) -> None:
    result = invoke_kpi("plan", "-c", SAAS, "--as-of", AS_OF, "--window", window)
    assert_contract(result)
    assert result.code == 2


@pytest.mark.parametrize(
    "args",
    [
        ("checkin", "-c", SAAS, "--kpi", "leads", "--confidence", "sure"),
        ("checkin", "-c", SAAS, "--kpi", "nope", "--confidence", "at_risk"),
        ("checkin", "-c", SAAS, "--kpi", "leads", "--confidence", "at_risk", "--date", "0001-01-01"),
        ("checkin", "-c", SAAS, "--kpi", "leads", "--confidence", "at_risk", "--date", "2026-02-30"),
        ("review", "-c", SAAS, "--as-of", AS_OF, "--period", "2026-W43"),
        ("review", "-c", SAAS, "--as-of", AS_OF, "--period", "2026-01"),
        ("check", "-c", SAAS, "--unknown-flag"),
        ("check", "-c"),
        ("check",),
        ("nope",),
    ],
)
def test_other_bad_flags_are_one_line(args: tuple[str, ...], tmp_path: Path) -> None:
    result = (
        invoke_kpi(*args, "--history", str(tmp_path / "h.sqlite"))
        if args[0] == "checkin"
        else invoke_kpi(*args)
    )
    assert_contract(result)
    assert result.code == 2
    assert not (tmp_path / "h.sqlite").exists()  # nothing written on a refusal


# --- property: any text in a flag ends in the contract ---

_FLAG_TEXT = st.lists(
    st.sampled_from([*"0123456789-W/.: abcxyz\x1b\u202e", "2026", "-11", "-W4", "segment"]), max_size=6
).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flag=st.sampled_from(["--as-of", "--period", "--by", "--format", "--fail-on"]),
    value=_FLAG_TEXT,
)
def test_property_any_flag_text_ends_in_the_contract(flag: str, value: str) -> None:
    as_of = () if flag == "--as-of" else ("--as-of", AS_OF)
    result = (
        invoke_kpi("check", "-c", SAAS, *as_of, flag, value, "--format", "json")
        if flag != "--format"
        else (invoke_kpi("check", "-c", SAAS, "--as-of", AS_OF, flag, value))
    )
    assert_contract(result, json_output=flag != "--format")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_FLAG_TEXT)
def test_property_any_window_ends_in_the_contract(value: str) -> None:
    result = invoke_kpi("plan", "-c", SAAS, "--as-of", AS_OF, "--window", value, "--format", "json")
    assert_contract(result, json_output=True)
