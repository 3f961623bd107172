"""`--format markdown`: a summary to paste into Slack, Notion or a pull-request comment.

KGI line, KPI table, the top findings with owners and actions, the funnel line. Every value from
the config or the data is cleaned (`untrusted.clean`) and Markdown-escaped, so a KPI named
`*urgent* | [x](y)` shows as written and cannot break the table or inject a link.
"""

from __future__ import annotations

import re

from kpi_cli.findings import Finding
from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.i18n.values import Quantity, Unit
from kpi_cli.metrics import periods
from kpi_cli.render.text import ESTIMATE_MARK, estimated
from kpi_cli.review import Review
from kpi_cli.untrusted import one_line

TOP_FINDINGS = 5
# What would start emphasis, a link, a tag, code or a table cell; punctuation that is harmless in
# running text (. - ( ) #) is left alone, since Slack shows backslash escapes literally.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def escape(value: object) -> str:
    """One clean line with every Markdown-significant character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", one_line(value))


def _w(key: str, lang: Lang, **params: object) -> str:
    return render(Wording(key, params), lang)


def render_markdown(review: Review, lang: Lang) -> str:
    return "\n".join(
        [
            *_kgi(review, lang),
            "",
            *_kpis(review, lang),
            "",
            *_findings(review, lang),
            *_funnel(review, lang),
            "",
        ]
    )


def _kgi(review: Review, lang: Lang) -> list[str]:
    kgi, p = review.kgi, review.kgi.progress
    status = term(f"status.{p.status}", lang)
    line = _w(
        "md.kgi",
        lang,
        name=escape(kgi.kgi.name),
        actual=p.actual if kgi.estimated is None else ESTIMATE_MARK + fmt.number(p.actual, lang),
        target=kgi.kgi.target,
        share=Quantity(kgi.share_of_target, Unit.PERCENT),
        status=status,
        deadline=kgi.kgi.deadline,
    )
    head = _w(
        "md.title",
        lang,
        name=escape(review.config.name),
        period=periods.label(review.month),
        as_of=review.as_of,
    )
    legend = [_legend(lang)] if kgi.estimated is not None else []
    return [f"**{head}**", "", line, *legend]


def _legend(lang: Lang) -> str:
    """What ≈ means, in italics under what shows it (escaped: the wording quotes a config key)."""
    return f"_{escape(term('estimated.legend', lang))}_"


def _kpis(review: Review, lang: Lang) -> list[str]:
    cols = [term(f"ui.col.{c}", lang) for c in ("KPI", "segment", "actual", "target", "status")]
    cols.append(term("ui.kgi.owner", lang))  # the owner only: the review date is in the text table
    rows = [f"| {' | '.join(cols)} |", "|" + "---|" * len(cols)]
    for view in review.kpis:
        p = view.progress
        cells = [
            escape(("★ " if view.kpi.primary else "") + view.kpi.label),
            escape(view.segment or term("ui.all", lang)),
            estimated(fmt.quantity(Quantity.measure(p.actual, view.is_rate), lang), view.estimated),
            fmt.quantity(Quantity.measure(view.kpi.target, view.is_rate), lang),
            term(f"status.{p.status}", lang),
            escape(view.kpi.owner or term("no_owner_set", lang)),
        ]
        rows.append(f"| {' | '.join(cells)} |")
    if any(v.estimated is not None for v in review.kpis):
        rows += ["", _legend(lang)]
    return rows


def _findings(review: Review, lang: Lang) -> list[str]:
    shown = [f for f in review.findings if f.severity.value != "info"][:TOP_FINDINGS]
    if not shown:
        return []
    lines = [f"**{_w('ui.title.findings', lang, count=len(review.findings))}**", ""]
    lines += [_finding(f, lang) for f in shown]
    return [*lines, ""]


def _finding(f: Finding, lang: Lang) -> str:
    severity = term(f"severity.{f.severity.value}", lang)
    owner = f" — {escape(f.owner)}" if f.owner else ""
    state = f" _{_w(f'history.mark.{f.state.value}', lang)}_" if f.state is not None else ""
    line = f"- **{severity}**{state} {escape(f.describe(lang))}{owner}"
    action = f.action_in(lang)
    return line + (f"\n  → {escape(action)}" if action else "")


def _funnel(review: Review, lang: Lang) -> list[str]:
    funnel = review.funnel
    if funnel is None:
        return []
    stages = " → ".join(
        f"{escape(s.name)} {estimated(fmt.number(s.count, lang), s.estimated)}" for s in funnel.stages
    )
    worst = review.bottleneck
    tail = _w("md.bottleneck", lang, stage=escape(worst)) if worst else ""
    line = _w("md.funnel", lang, period=periods.label(funnel.period), stages=stages) + tail
    marked = any(s.estimated is not None for s in funnel.stages)
    # The KPI table's legend may already say what ≈ means; a funnel-only estimate says it here.
    said = any(v.estimated is not None for v in review.kpis)
    return [line, "", _legend(lang)] if marked and not said else [line]
