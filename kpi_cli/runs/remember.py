"""`kpi check`'s memory: judge the review's findings against the previous run and store this one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from kpi_cli.collector import collector_held
from kpi_cli.config.loader import LoadedConfig
from kpi_cli.config.models import Config
from kpi_cli.config.settings import rule_settings
from kpi_cli.findings import Finding, FindingState
from kpi_cli.i18n import Lang
from kpi_cli.metrics import periods
from kpi_cli.review import Review
from kpi_cli.rules.spec import AlertSettings, Scope
from kpi_cli.runs.memory import Assessment, Judged, Seen, assess, finding_keys
from kpi_cli.runs.outcome import RunMemory
from kpi_cli.runs.store import KpiRow, NewRun, record_run


class AlertSettingsLookup:
    """`for_runs` and `repeat_every` for a finding: its KPI's `rules:` over `defaults:`; the KGI's
    own `kgi.rules` for a KGI finding of a rule accepted there."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def __call__(self, finding: Finding) -> AlertSettings:
        from kpi_cli.rules.registry import RULES  # the registry imports the config models

        own = None
        if finding.kpi is not None and any(k.id == finding.kpi for k in self.config.kpis):
            own = self.config.kpi(finding.kpi).rules
        elif finding.kpi is None and finding.rule in RULES and Scope.KGI in RULES[finding.rule].settings:
            own = self.config.kgi.rules
        return rule_settings(self.config, own, finding.rule, AlertSettings)


def config_hash(config: Config) -> str:
    """The config as validated, so a comment or a reformatted line does not count as a change."""
    canonical = json.dumps(config.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def kpi_rows(review: Review) -> list[KpiRow]:
    return [
        KpiRow(
            kpi=view.kpi.id,
            dimension=str(view.dimension) if view.dimension else "",
            value=view.segment or "",
            period=view.period_label,
            actual=view.progress.actual,
            target=view.progress.target,
            status=view.progress.status,
        )
        for view in review.kpis
    ]


def _messages(judged: Judged) -> dict[str, str]:
    return {lang.value: judged.finding.describe(lang) for lang in Lang}


def remember(
    loaded: LoadedConfig, review: Review, history: Path | None, by: str | None, only_new: bool
) -> tuple[Review, RunMemory]:
    """The review with each finding's state (pending ones held back), and what the run remembers.

    `history` None (--no-history): nothing read or stored, every finding new, `for_runs` moot.
    """
    with collector_held():  # a row per view (40,000 under `--by campaign`), no cycles among them
        return _remember(loaded, review, history, by, only_new)


def _remember(
    loaded: LoadedConfig, review: Review, history: Path | None, by: str | None, only_new: bool
) -> tuple[Review, RunMemory]:
    keys = finding_keys(review.findings, by)
    lookup = AlertSettingsLookup(review.config)
    if history is None:
        assessment = Assessment(
            [Judged(f, k, FindingState.NEW, 1, None) for f, k in zip(review.findings, keys, strict=True)], []
        )
        return _annotated(review, assessment, only_new), RunMemory(None, assessment, None, only_new)

    def judge(previous: dict[str, Seen]) -> Assessment:
        return assess(review.findings, keys, previous, lookup)

    run = NewRun(
        config_name=review.config.name,
        by=by or "",
        config_hash=config_hash(loaded.config),
        as_of=review.as_of,
        period=periods.label(review.month),
        kpis=kpi_rows(review),
        messages=_messages,
    )
    run_id, previous, assessment = record_run(history, run, judge)
    memory = RunMemory(previous, assessment, run_id, only_new)
    return _annotated(review, assessment, only_new), memory


def _annotated(review: Review, assessment: Assessment, only_new: bool) -> Review:
    wanted = {FindingState.NEW} if only_new else {FindingState.NEW, FindingState.ONGOING}
    findings = [replace(j.finding, state=j.state) for j in assessment.judged if j.state in wanted]
    return Review(review.context, findings)
