"""`--limit N`: a review split into thousands of groups shows the top and bottom N in text.

`--by campaign` over 10,000 campaigns is 40,000 KPI rows and thousands of findings: no one reads
that in a terminal, and rich spends about a millisecond laying out each row. The text shows the
groups ranked highest and lowest by the primary KPI (half of N each), the findings about those
groups plus every finding about the KPI as a whole, and one line saying how many were left out and
how to see them; `--limit 0` shows all, and the JSON always lists every group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from rich.console import Console
from rich.text import Text

from kpi_cli.assess import KpiView
from kpi_cli.findings import Verdict
from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.review import Review


@dataclass(frozen=True)
class _CutReview(Review):
    """Fewer findings to print, the verdict of them all: a hidden group's failure still counts."""

    verdict: Verdict = Verdict.PASS

    @property
    def status(self) -> Verdict:
        return self.verdict


@dataclass(frozen=True)
class Shown:
    """The review cut to the groups shown, and what was left out (nothing when `hidden` is 0)."""

    review: Review
    dimension: str | None
    groups: int  # groups in the review
    hidden: int  # groups left out
    hidden_findings: int
    ranked_by: str | None  # the KPI whose actual ranks the groups

    def note(self, lang: Lang) -> str | None:
        """One line under the tables, or None when everything is shown."""
        if not self.hidden or self.dimension is None:
            return None
        params = {
            "shown": self.groups - self.hidden,
            "groups": self.groups,
            "dimension": term(f"compare.dimension.{self.dimension}", lang),
            "kpi": self.ranked_by or "",
            "findings": self.hidden_findings,
        }
        return render(Wording("limit.note", params), lang)


def shown(review: Review, limit: int | None) -> Shown:
    """The groups with the highest and lowest primary-KPI actual, `limit` in all (None or 0: all)."""
    grouped = [v for v in review.kpis if v.segment is not None and v.dimension is not None]
    values = list(dict.fromkeys(v.segment for v in grouped if v.segment is not None))
    dimension = str(grouped[0].dimension) if grouped else None
    if not limit or limit < 0 or len(values) <= limit:
        return Shown(review, dimension, len(values), 0, 0, None)
    ranking = _ranking_kpi(review.kpis)
    actual = {v.segment: _sort_value(v) for v in grouped if v.kpi.id == ranking}
    ranked = sorted(values, key=lambda value: actual.get(value, -math.inf), reverse=True)
    top = (limit + 1) // 2
    kept = ranked[:top] + ranked[len(ranked) - (limit - top) :]
    order = {value: i for i, value in enumerate(kept)}
    views = [v for v in review.kpis if v.segment is None or v.dimension is None]
    per_kpi = sorted((v for v in grouped if v.segment in order), key=lambda v: order[str(v.segment)])
    kpis = _grouped_after_overall(views, per_kpi)
    findings = [f for f in review.findings if f.segment is None or f.segment in order]
    cut = _CutReview(replace(review.context, kpis=kpis), findings, review.status)
    hidden_findings = len(review.findings) - len(findings)
    return Shown(cut, dimension, len(values), len(values) - len(kept), hidden_findings, ranking)


def print_note(cut: Shown, console: Console, lang: Lang) -> None:
    note = cut.note(lang)
    if note is not None:
        console.print(Text(note, style="dim"), soft_wrap=True)


def _ranking_kpi(views: list[KpiView]) -> str:
    primary = [v.kpi.id for v in views if v.kpi.primary]
    return primary[0] if primary else views[0].kpi.id


def _sort_value(view: KpiView) -> float:
    actual = view.progress.actual
    return -math.inf if actual is None or math.isnan(actual) else actual


def _grouped_after_overall(overall: list[KpiView], grouped: list[KpiView]) -> list[KpiView]:
    """Each KPI's overall view followed by its groups, the order the review itself uses."""
    ordered: list[KpiView] = []
    for view in overall:
        ordered.append(view)
        if view.segment is None:
            ordered.extend(v for v in grouped if v.kpi.id == view.kpi.id)
    return ordered
