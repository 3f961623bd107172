"""Tell the team's chat of new and resolved findings (and ongoing ones every `repeat_every`).

The message is the Markdown summary of the run, in the language `notify.lang` names (else the
run's), with the findings cut down to the ones due and the resolved ones listed. Sending is
`kpi_cli.notify.send`: bounded retries, never raises. Whatever happens here, the run is already
stored and the exit code is already decided; a failure is one `kpi: warning:` line and a row in
the history's `notifications` table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kpi_cli import notify
from kpi_cli.config.models import NotifyConfig
from kpi_cli.findings import Severity
from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.render.markdown import escape, render_markdown
from kpi_cli.review import Review
from kpi_cli.rules.spec import AlertSettings
from kpi_cli.runs.memory import Assessment, Judged, Seen, due
from kpi_cli.runs.store import record_notification


@dataclass(frozen=True)
class Plan:
    """What this run's notification carries; nothing to send when both lists are empty."""

    findings: list[Judged]
    resolved: list[Seen]

    @property
    def empty(self) -> bool:
        return not self.findings and not self.resolved


def plan(assessment: Assessment, as_of: date, alert: Callable[..., AlertSettings], least: Severity) -> Plan:
    findings = [j for j in assessment.reported if due(j, as_of, alert(j.finding), least)]
    resolved = [s for s in assessment.resolved if s.severity >= least]
    return Plan(findings, resolved)


def message(review: Review, chosen: Plan, lang: Lang) -> str:
    """The run's Markdown summary with only the findings due, then the resolved ones."""
    shown = Review(review.context, [j.finding for j in chosen.findings])
    text = render_markdown(shown, lang).rstrip("\n")
    if chosen.resolved:
        title = render(Wording("history.resolved.title", {"count": len(chosen.resolved)}), lang)
        lines = [
            f"- {escape(s.messages.get(lang.value) or s.messages.get('en', s.code))}" for s in chosen.resolved
        ]
        text += "\n\n" + f"**{title}**\n\n" + "\n".join(lines)
    return text + "\n"


def send(
    settings: NotifyConfig,
    review: Review,
    chosen: Plan,
    lang: Lang,
    history: Path | None,
    run_id: int | None,
    warn: Callable[[str], None],
    environ: dict[str, str] | None = None,
) -> notify.Delivery | None:
    """Send when something is due; report a failure through `warn` and in the history."""
    if chosen.empty:
        return None
    url = notify.webhook_url(settings.url_env, environ)
    if url is None:
        delivery = notify.Delivery(False, 0, error=f"${settings.url_env} is not set")
    elif not url.lower().startswith(("https://", "http://")):
        delivery = notify.Delivery(False, 0, error=f"${settings.url_env} is not an http(s) URL")
    else:
        text = message(review, chosen, Lang(settings.lang) if settings.lang else lang)
        delivery = notify.send(url, notify.payload(text), timeout=settings.timeout, retries=settings.retries)
    if not delivery.ok:
        attempts = (
            f" after {delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
            if delivery.attempts
            else ""
        )
        warn(f"notification not sent{attempts}: {delivery.error}")
    if history is not None and run_id is not None:
        record_notification(
            history, run_id, ok=delivery.ok, attempts=delivery.attempts, status=delivery.status,
            error=delivery.error, keys=[j.key for j in chosen.findings], as_of=review.as_of,
        )  # fmt: skip
    return delivery
