"""JUnit XML for CI test reporters (GitLab, Jenkins, GitHub test-report actions).

The mapping CI users expect: a `<testsuite>` per KPI (plus one for the KGI and one for the
config's own checks), a `<testcase>` per rule, and a `<failure>` for each finding at or above
`--fail-on`, so the reporter's red/green matches the exit code. Findings below the threshold are
kept in the test case's `<system-out>`: visible, not failing. ElementTree does the XML escaping;
`clean` removes the control characters XML 1.0 cannot carry at all.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from kpi_cli.findings import Finding, Severity
from kpi_cli.untrusted import clean

KGI_SUITE = "KGI"
CONFIG_SUITE = "config"


def document(
    name: str,
    suites: Sequence[str],
    rules: Sequence[str],
    findings: Sequence[Finding],
    fail_on: Severity | None,
    describe: Callable[[Finding], str],
) -> str:
    """The XML text; `suites` are KPI ids in config order, `fail_on` None means nothing fails."""
    root = ET.Element("testsuites", name=clean(name))
    by_suite: dict[str, list[Finding]] = {}
    for finding in findings:
        by_suite.setdefault(_suite_of(finding), []).append(finding)
    total = failed = 0
    for suite_name in [KGI_SUITE, *suites, CONFIG_SUITE]:
        suite = ET.SubElement(root, "testsuite", name=clean(suite_name))
        cases = failures = 0
        for rule in rules:
            hits = [f for f in by_suite.get(suite_name, []) if f.rule == rule]
            if suite_name == CONFIG_SUITE and not hits:
                continue  # config-level rules appear only when they found something
            cases += 1
            failing = [f for f in hits if fail_on is not None and f.severity >= fail_on]
            failures += bool(failing)
            _testcase(suite, suite_name, rule, hits, failing, describe)
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total, failed = total + cases, failed + failures
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite_of(finding: Finding) -> str:
    if finding.kpi:
        return finding.kpi
    return CONFIG_SUITE if finding.rule in ("lint", "freshness") else KGI_SUITE


def _testcase(
    suite: ET.Element,
    suite_name: str,
    rule: str,
    hits: Sequence[Finding],
    failing: Sequence[Finding],
    describe: Callable[[Finding], str],
) -> None:
    case = ET.SubElement(suite, "testcase", name=rule, classname=clean(f"kpi.{suite_name}"))
    if failing:
        first = failing[0]
        failure = ET.SubElement(
            case, "failure", message=clean(describe(first)), type=clean(first.code or first.rule)
        )
        failure.text = "\n".join(_line(f, describe) for f in failing)
    passing = [f for f in hits if f not in failing]
    if passing:
        ET.SubElement(case, "system-out").text = "\n".join(_line(f, describe) for f in passing)


def _line(finding: Finding, describe: Callable[[Finding], str]) -> str:
    segment = f" [{finding.segment}]" if finding.segment else ""
    return clean(f"{finding.severity.value}{segment}: {describe(finding)}")
