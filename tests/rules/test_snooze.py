from __future__ import annotations

from datetime import date
from typing import Any

from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Lang, Wording
from kpi_cli.rules.snooze import apply_snoozes
from tests.conftest import make_config

AS_OF = date(2026, 11, 20)
KPIS = [
    {"id": "leads", "metric": "leads", "target": 100, "owner": "Tanaka"},
    {"id": "cpa", "metric": "cost", "target": 100, "owner": "Suzuki"},
]


def _finding(rule: str = "drop", kpi: str | None = "leads", segment: str | None = None) -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.FAIL,
        says=Wording("lint.no_primary"),  # any catalogued wording: the snooze note is what is tested
        kpi=kpi,
        segment=segment,
        evidence={"current": 50.0},
        code=f"{rule}.x",
    )


def _apply(findings: list[Finding], *snoozes: dict[str, Any]) -> list[Finding]:
    config = make_config(kpis=KPIS, snooze=list(snoozes))
    return apply_snoozes(findings, config, AS_OF)


SNOOZE = {"rule": "drop", "kpi": "leads", "until": "2026-11-30", "reason": "tracking outage"}


def test_active_snooze_turns_the_finding_into_info() -> None:
    [finding] = _apply([_finding()], SNOOZE)
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "no KPI is marked primary: name the one KPI that drives the KGI (snoozed until 30 Nov 2026: tracking outage)"
    )
    assert finding.evidence["snoozed_until"] == "2026-11-30"
    assert finding.evidence["snooze_reason"] == "tracking outage"
    assert finding.evidence["current"] == 50.0  # the numbers behind it stay
    assert finding.code == "drop.x"


def test_snooze_until_today_is_still_active() -> None:
    [finding] = _apply([_finding()], {**SNOOZE, "until": "2026-11-20"})
    assert finding.severity is Severity.INFO


def test_other_rule_kpi_or_segment_is_not_snoozed() -> None:
    findings = [_finding(rule="pace"), _finding(kpi="cpa"), _finding(segment="smb")]
    result = _apply(findings, {**SNOOZE, "segment": "enterprise"})
    assert [f.severity for f in result] == [Severity.FAIL] * 3


def test_snooze_without_kpi_or_segment_covers_all_of_the_rule() -> None:
    findings = [_finding(), _finding(kpi="cpa"), _finding(segment="smb"), _finding(rule="pace")]
    result = _apply(findings, {"rule": "drop", "until": "2026-12-01", "reason": "seasonal"})
    assert [f.severity for f in result] == [Severity.INFO] * 3 + [Severity.FAIL]


def test_expired_snooze_that_still_matches_leaves_the_finding_and_warns() -> None:
    original = _finding()
    finding, expired = _apply([original], {**SNOOZE, "until": "2026-11-19"})
    assert finding == original
    assert expired.rule == "lint"
    assert expired.severity is Severity.WARN
    assert expired.code == "lint.snooze_expired"
    assert expired.kpi == "leads" and expired.owner == "Tanaka"
    assert "expired on 19 Nov 2026" in expired.message
    assert expired.evidence["until"] == "2026-11-19"


def test_expired_snooze_matching_nothing_can_be_removed() -> None:
    finding, expired = _apply([_finding(rule="pace")], {**SNOOZE, "until": "2026-10-31"})
    assert finding.severity is Severity.FAIL
    assert expired.severity is Severity.INFO
    assert expired.code == "lint.snooze_unused"
    assert "remove" in (expired.action or "")


def test_no_snoozes_changes_nothing() -> None:
    findings = [_finding(), _finding(rule="pace")]
    assert _apply(findings) == findings


def test_a_message_read_before_the_snooze_is_not_kept_after_it() -> None:
    """describe() keeps each language's message on the finding; the snoozed copy (dataclasses'
    replace) must render its own, with the snooze note, in both languages."""
    plain = _finding()
    before = {lang: plain.describe(lang) for lang in Lang}
    [snoozed] = _apply([plain], SNOOZE)
    for lang in Lang:
        after = snoozed.describe(lang)
        assert after.startswith(before[lang]) and len(after) > len(before[lang])
        assert "tracking outage" in after
        assert plain.describe(lang) == before[lang]
