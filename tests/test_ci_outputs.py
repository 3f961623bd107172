"""What `kpi check` writes for CI (issue 11): JUnit read with an XML parser, GitHub workflow
commands against their syntax, the step summary, and the crontab/GitLab/GitHub lines in docs/."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.hostile.harness import ROOT, assert_contract, invoke_kpi
from tests.runs_fixture import write

SAAS = str(ROOT / "configs" / "saas_leadgen.yaml")
# `::error title=...::message` — https://docs.github.com/actions/reference/workflow-commands-for-github-actions
COMMAND = re.compile(r"^::(error|warning|notice)( title=[^:,\r\n]*)?::[^\r\n]*$")


def test_junit_from_the_sample_is_what_gitlab_and_jenkins_read(tmp_path: Path) -> None:
    report = tmp_path / "kpi-junit.xml"
    args = ("check", "-c", SAAS, "--as-of", "2026-11-20", "--format", "junit", "--output", str(report))
    result = invoke_kpi(*args)
    assert_contract(result)
    assert result.code == 1 and result.stdout == ""
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites][:2] == ["KGI", "leads"]
    for suite in suites:  # the attributes GitLab's and Jenkins' parsers count with
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases))
        for case in cases:
            assert case.get("name") and case.get("classname", "").startswith("kpi.")
    leads = next(s for s in suites if s.get("name") == "leads")
    pace = next(c for c in leads.findall("testcase") if c.get("name") == "pace")
    failure = pace.find("failure")
    assert failure is not None and failure.get("type") == "pace.off_track"
    assert int(root.get("failures", "0")) >= 1  # failures match the exit code 1
    never = invoke_kpi(*args, "--fail-on", "never")
    assert never.code == 0 and ET.parse(report).getroot().get("failures") == "0"


def test_github_commands_and_step_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = invoke_kpi(
        "check", "-c", SAAS, "--as-of", "2026-11-20", "--format", "github", "--fail-on", "warn",
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert_contract(result)
    lines = result.stdout.splitlines()
    assert result.code == 1 and lines
    for line in lines:
        assert COMMAND.match(line), line
    assert lines[0].startswith("::error title=kpi pace%3A leads::Campaign email signups (2026-11)")
    assert any(line.startswith("::warning ") for line in lines)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n**SaaS lead generation via SNS, FY2026 H2 · 2026-11")  # appended
    assert "| KPI | segment | actual | target | status | owner |" in text


def test_github_escapes_a_hostile_value_from_the_config(tmp_path: Path) -> None:
    config = write(tmp_path, 30)
    text = config.read_text(encoding="utf-8").replace("id: leads", "id: 'le,ad:s%'")
    config.write_text(text, encoding="utf-8")
    result = invoke_kpi("check", "-c", str(config), "--as-of", "2026-11-30", "--format", "github")
    assert_contract(result)
    [line] = result.stdout.splitlines()
    assert line.startswith("::error title=kpi threshold%3A le%2Cad%3As%25::")


def test_the_readme_cron_and_ci_commands_run_as_documented(tmp_path: Path) -> None:
    """Every `kpi check` line of the README's cron and CI section, run (pinned to the sample's date)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Cron and CI: memory across runs", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"kpi check [^\n]+", section)
    assert len(commands) >= 4  # crontab, two GitHub steps, GitLab
    for line in commands:
        args = line.split()[1:]
        args = [str(ROOT / a) if a.startswith("configs/") else a for a in args]
        args = [str(tmp_path / a) if a.endswith(".xml") else a for a in args]
        result = invoke_kpi(*args, "--as-of", "2026-11-20", cwd=tmp_path)
        assert_contract(result)
        assert result.code in (0, 1), line
        if "--quiet" in args:
            assert result.code == 1 and result.stdout  # the sample has trouble: cron mails it
    report = tmp_path / "kpi-junit.xml"
    assert ET.parse(report).getroot().tag == "testsuites"
