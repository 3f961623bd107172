"""`kpi history` and `kpi diff` outputs: the stored runs, the KPIs month by month, what changed."""

from __future__ import annotations

from typing import Any

from kpi_cli.i18n import Lang, Wording, render, term
from kpi_cli.i18n import formatting as fmt
from kpi_cli.render.markdown import escape
from kpi_cli.runs.memory import REPORTED, Seen
from kpi_cli.runs.store import KpiRow, Notification, RunInfo
from kpi_cli.untrusted import one_line


def _w(key: str, lang: Lang, **params: object) -> str:
    return render(Wording(key, params), lang)


def _verdict(status: str, lang: Lang) -> str:
    """A run's status in the review header's words: pass, or the worst severity."""
    return term("verdict.pass" if status == "pass" else f"severity.{status}", lang)


def months(
    runs: list[RunInfo], kpis: dict[int, list[KpiRow]]
) -> tuple[list[str], dict[tuple[str, str], dict[str, KpiRow]]]:
    """Each KPI (and segment) by month: the latest stored run's row for that month."""
    table: dict[tuple[str, str], dict[str, KpiRow]] = {}
    for run in runs:  # oldest first, so a later run of the same month wins
        for row in kpis.get(run.id, []):
            table.setdefault((row.kpi, row.value), {})[row.period] = row
    labels = sorted({p for by_month in table.values() for p in by_month})
    return labels, table


def _counts(seen: dict[str, Seen], before: dict[str, Seen] | None) -> tuple[int, int, int]:
    new = sum(s.state == "new" for s in seen.values())
    ongoing = sum(s.state == "ongoing" for s in seen.values())
    resolved = sum(1 for k, s in (before or {}).items() if s.state in REPORTED and k not in seen)
    return new, ongoing, resolved


def history_json(
    runs: list[RunInfo], kpis: dict[int, list[KpiRow]], found: dict[int, dict[str, Seen]],
    notes: dict[int, Notification],
) -> dict[str, Any]:  # fmt: skip
    labels, table = months(runs, kpis)
    rows = []
    previous: dict[str, Seen] | None = None
    for run in runs:
        new, ongoing, resolved = _counts(found.get(run.id, {}), previous)
        previous = found.get(run.id, {})
        note = notes.get(run.id)
        rows.append(
            {
                "id": run.id,
                "recorded_at": run.recorded_at,
                "as_of": run.as_of.isoformat(),
                "period": run.period,
                "status": run.status,
                "config_hash": run.config_hash,
                "new": new,
                "ongoing": ongoing,
                "resolved": resolved,
                "notification": None
                if note is None
                else {"ok": note.ok, "attempts": note.attempts, "error": note.error},
            }
        )
    kpi_rows = [
        {
            "kpi": kpi,
            "segment": value or None,
            "months": {
                m: {"value": r.actual, "target": r.target, "status": r.status} for m, r in by_month.items()
            },
        }
        for (kpi, value), by_month in table.items()
    ]
    return {"schema": "kpi-history/1", "runs": rows, "months": labels, "kpis": kpi_rows}


def history_lines(doc: dict[str, Any], lang: Lang, markdown: bool) -> list[str]:
    cols = ["run", "recorded", "as_of", "period", "status", "new", "ongoing", "resolved", "notified"]
    head = [_w(f"history.col.{c}", lang) for c in cols]
    body = []
    for r in doc["runs"]:
        note = r["notification"]
        notified = (
            _w("history.notified.none", lang) if note is None
            else _w("history.notified.ok", lang) if note["ok"]
            else _w("history.notified.failed", lang, error=note["error"] or "")
        )  # fmt: skip
        body.append([str(r["id"]), r["recorded_at"], r["as_of"], r["period"], _verdict(r["status"], lang),
                     str(r["new"]), str(r["ongoing"]), str(r["resolved"]), notified])  # fmt: skip
    lines = [_title(_w("history.runs.title", lang, count=len(body)), markdown), *_table(head, body, markdown)]
    head = [
        _w("history.col.kpi", lang),
        _w("history.col.segment", lang),
        _w("history.col.row", lang),
        *doc["months"],
    ]
    body = []
    for k in doc["kpis"]:
        for what in ("value", "target", "status"):
            cells = []
            for month in doc["months"]:
                cell = k["months"].get(month)
                value = None if cell is None else cell[what]
                text = (
                    "-"
                    if value is None
                    else term(f"status.{value}", lang)
                    if what == "status"
                    else fmt.number(value, lang)
                )
                cells.append(text)
            label = _w(f"history.row.{what}", lang)
            body.append([k["kpi"], k["segment"] or term("ui.all", lang), label, *cells])
    return [*lines, "", _title(_w("history.months.title", lang), markdown), *_table(head, body, markdown)]


def _title(text: str, markdown: bool) -> str:
    return f"**{text}**\n" if markdown else text


def _table(head: list[str], body: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        return [
            "| " + " | ".join(escape(h) for h in head) + " |",
            "|" + "---|" * len(head),
            *["| " + " | ".join(escape(c) for c in row) + " |" for row in body],
        ]
    rows = [head, *[[one_line(c) for c in row] for row in body]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def diff_json(
    before: RunInfo,
    after: RunInfo,
    kpis: dict[int, list[KpiRow]],
    found: dict[int, dict[str, Seen]],
    lang: Lang,
) -> dict[str, Any]:
    old, new = found.get(before.id, {}), found.get(after.id, {})

    def said(s: Seen) -> str:
        return s.messages.get(lang.value) or s.messages.get("en", s.code)

    def item(s: Seen) -> dict[str, Any]:
        return {
            "rule": s.rule,
            "kpi": s.kpi,
            "segment": s.segment,
            "code": s.code,
            "severity": s.severity.value,
            "message": said(s),
        }

    appeared = [
        item(s) for k, s in new.items() if s.state in REPORTED and not (k in old and old[k].state in REPORTED)
    ]
    gone = [item(s) for k, s in old.items() if s.state in REPORTED and k not in new]
    rows_before = {(r.kpi, r.value): r for r in kpis.get(before.id, [])}
    changed = [
        {"kpi": r.kpi, "segment": r.value or None, "status_before": rows_before[(r.kpi, r.value)].status,
         "status_after": r.status, "actual_before": rows_before[(r.kpi, r.value)].actual, "actual_after": r.actual}
        for r in kpis.get(after.id, [])
        if (r.kpi, r.value) in rows_before and rows_before[(r.kpi, r.value)].status != r.status
    ]  # fmt: skip
    return {
        "schema": "kpi-diff/1",
        "before": {"id": before.id, "as_of": before.as_of.isoformat(), "status": before.status},
        "after": {"id": after.id, "as_of": after.as_of.isoformat(), "status": after.status},
        "new": appeared, "resolved": gone, "changed": changed,
    }  # fmt: skip


def diff_lines(doc: dict[str, Any], lang: Lang, markdown: bool) -> list[str]:
    b, a = doc["before"], doc["after"]
    title = _w(
        "diff.title", lang, before=b["id"], before_as_of=b["as_of"], after=a["id"], after_as_of=a["as_of"]
    )
    lines = [_title(title, markdown)]
    if b["status"] != a["status"]:
        lines.append(
            _w("diff.status", lang, before=_verdict(b["status"], lang), after=_verdict(a["status"], lang))
        )
    bullet = "- " if markdown else "  "
    text = escape if markdown else one_line
    for key, items in (("diff.new.title", doc["new"]), ("diff.resolved.title", doc["resolved"])):
        if items:
            lines += [_w(key, lang, count=len(items)), *[bullet + text(i["message"]) for i in items]]
    if doc["changed"]:
        lines.append(_w("diff.changed.title", lang, count=len(doc["changed"])))
        for c in doc["changed"]:
            segment = f" ({c['segment']})" if c["segment"] else ""
            line = _w("diff.changed.line", lang, kpi=c["kpi"], segment=segment,
                      before=term(f"status.{c['status_before']}", lang), after=term(f"status.{c['status_after']}", lang),
                      actual_before=fmt.number(c["actual_before"], lang), actual_after=fmt.number(c["actual_after"], lang))  # fmt: skip
            lines.append(bullet + text(line))
    if len(lines) == 1:
        lines.append(_w("diff.nothing", lang))
    return lines
