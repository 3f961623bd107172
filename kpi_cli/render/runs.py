"""What a check says about the run history: the resolved findings, the ones held as pending, and
the previous run compared with, in text, Markdown and JSON (kpi_cli.runs)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.console import Console
from rich.text import Text

from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.render.markdown import escape
from kpi_cli.review import Review
from kpi_cli.runs.memory import Seen
from kpi_cli.runs.outcome import RunMemory
from kpi_cli.untrusted import one_line


def _w(key: str, lang: Lang, **params: object) -> str:
    return render(Wording(key, params), lang)


def unmarked(review: Review, memory: RunMemory | None) -> Review:
    """Without a previous run every finding is new, so marking each one says nothing: the marks go."""
    if memory is not None and memory.previous is not None:
        return review
    return Review(review.context, [replace(f, state=None) for f in review.findings])


def said(seen: Seen, lang: Lang) -> str:
    return seen.messages.get(lang.value) or seen.messages.get(Lang.EN.value) or seen.code


def text_lines(memory: RunMemory | None, lang: Lang) -> list[str]:
    if memory is None:
        return []
    lines = []
    if memory.resolved:
        lines.append(_w("history.resolved.title", lang, count=len(memory.resolved)))
        lines += [f"  {one_line(said(s, lang))}" for s in memory.resolved]
    if memory.pending:
        lines.append(_w("history.pending.title", lang, count=len(memory.pending)))
        lines += [
            f"  {one_line(j.finding.describe(lang))} " + _w("history.pending.streak", lang, streak=j.streak)
            for j in memory.pending
        ]
    if memory.previous is not None:
        lines.append(_w("history.compared_with", lang, as_of=memory.previous.as_of, run=memory.previous.id))
    return lines


def print_text(memory: RunMemory | None, console: Console, lang: Lang) -> None:
    for line in text_lines(memory, lang):
        console.print(Text(line), soft_wrap=True)


def print_compact(memory: RunMemory | None, console: Console) -> None:
    """Compact output's shape for the resolved: `resolved code kpi[/segment]: message` (English, as
    the code is)."""
    for seen in memory.resolved if memory is not None else []:
        subject = (seen.kpi or "-") + (f"/{seen.segment}" if seen.segment else "")
        console.file.write(one_line(f"resolved {seen.code} {subject}: {said(seen, Lang.EN)}") + "\n")


def markdown_lines(memory: RunMemory | None, lang: Lang) -> list[str]:
    if memory is None or not memory.resolved:
        return []
    title = _w("history.resolved.title", lang, count=len(memory.resolved))
    return [f"**{title}**", "", *[f"- {escape(said(s, lang))}" for s in memory.resolved], ""]


def json_fields(memory: RunMemory | None, lang: Lang) -> dict[str, Any]:
    """Additive to kpi-check/1: `previous_run`, `resolved`, `pending`, `only_new`."""
    if memory is None:
        return {}
    previous = memory.previous
    return {
        "previous_run": None
        if previous is None
        else {
            "id": previous.id,
            "as_of": previous.as_of.isoformat(),
            "period": previous.period,
            "status": previous.status,
        },
        "run_id": memory.run_id,
        "only_new": memory.only_new,
        "resolved": [
            {
                "rule": s.rule,
                "severity": s.severity.value,
                "kpi": s.kpi,
                "segment": s.segment,
                "code": s.code,
                "message": said(s, lang),
            }
            for s in memory.resolved
        ],
        "pending": [
            {
                "rule": j.finding.rule,
                "severity": j.finding.severity.value,
                "kpi": j.finding.kpi,
                "segment": j.finding.segment,
                "code": str(j.finding.code),
                "message": j.finding.describe(lang),
                "runs": j.streak,
            }
            for j in memory.pending
        ],
    }
