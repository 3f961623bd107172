"""CI output formats: GitHub workflow commands and JUnit XML, checked against their syntax."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n.catalog import Wording
from kpi_cli.render import github, junit


def _finding(rule: str, severity: Severity, kpi: str | None, message: str, **kw: object) -> Finding:
    """A finding whose rendered wording is `message` (the builders take the wording as a function)."""
    says = Wording("test.message", {"text": message})
    return Finding(rule=rule, severity=severity, says=says, kpi=kpi, code=f"{rule}.x", **kw)  # type: ignore[arg-type]


def describe(f: Finding) -> str:
    return str(f.says.params["text"])


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100% done", "100%25 done", "100%25 done"),
        ("a\r\nb\rc", "a%0D%0Ab%0Dc", "a%0D%0Ab%0Dc"),
        ("key: value, more", "key: value, more", "key%3A value%2C more"),
        ("::error::forged", "::error::forged", "%3A%3Aerror%3A%3Aforged"),
    ],
)
def test_escaping_follows_the_actions_toolkit(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_one_annotation_per_finding_with_level_and_title() -> None:
    findings = [
        _finding("pace", Severity.FAIL, "leads", "leads: 120 against 300\n::warning::x", segment="smb"),
        _finding("drop", Severity.WARN, "cpa", "CPA rose 40%"),
        _finding("lint", Severity.INFO, None, "snooze expired"),
    ]
    assert github.workflow_commands(findings, describe) == [
        "::error title=kpi pace%3A leads (smb)::leads: 120 against 300%0A::warning::x",
        "::warning title=kpi drop%3A cpa::CPA rose 40%25",
        "::notice title=kpi lint%3A KGI::snooze expired",
    ]


def test_every_annotation_is_one_line_without_escape_bytes() -> None:
    nasty = _finding("pace", Severity.FAIL, "k\x1b[31m", "line\rone\nline two\x1b]8;;x\x07")
    [line] = github.workflow_commands([nasty], describe)
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\x07" not in line


def test_junit_has_what_ci_reporters_require() -> None:
    findings = [
        _finding("pace", Severity.FAIL, "leads", 'leads <off> track & "late"'),
        _finding("drop", Severity.WARN, "leads", "leads fell 25%"),
        _finding("forecast", Severity.WARN, None, "KGI projects a miss"),
        _finding("lint", Severity.WARN, None, "no primary KPI"),
    ]
    text = junit.document(
        "SaaS", ["leads", "cpa"], ["pace", "drop", "forecast", "lint"], findings, Severity.FAIL, describe
    )
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["KGI", "leads", "cpa", "config"]
    leads = suites["leads"]
    assert (leads.get("tests"), leads.get("failures"), leads.get("errors")) == ("4", "1", "0")
    pace = next(c for c in leads.findall("testcase") if c.get("name") == "pace")
    assert pace.get("classname") == "kpi.leads"
    failure = pace.find("failure")
    assert failure is not None and failure.get("message") == 'leads <off> track & "late"'
    assert failure.get("type") == "pace.x"
    drop = next(c for c in leads.findall("testcase") if c.get("name") == "drop")
    assert drop.find("failure") is None  # a warn below --fail-on fail is visible, not failing
    out = drop.find("system-out")
    assert out is not None and out.text == "warn: leads fell 25%"
    assert suites["cpa"].get("failures") == "0"
    assert [c.get("name") for c in suites["config"].findall("testcase")] == ["lint"]
    assert (root.get("tests"), root.get("failures")) == ("13", "1")  # 4 + 4 + 4 + 1 cases


def test_junit_with_fail_on_warn_fails_the_warnings_and_never_fails_nothing() -> None:
    findings = [_finding("drop", Severity.WARN, "leads", "fell")]
    strict = ET.fromstring(junit.document("n", ["leads"], ["drop"], findings, Severity.WARN, describe))
    never = ET.fromstring(junit.document("n", ["leads"], ["drop"], findings, None, describe))
    assert strict.get("failures") == "1" and never.get("failures") == "0"


def test_junit_carries_no_control_characters() -> None:
    findings = [_finding("pace", Severity.FAIL, "leads", "bad\x00\x1b[2J\x0b text")]
    text = junit.document("n", ["leads"], ["pace"], findings, Severity.FAIL, describe)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
    ET.fromstring(text)
