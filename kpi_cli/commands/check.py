"""`kpi check`: the review for cron and CI; the exit code says whether anything reached --fail-on.

Each run is judged against the previous run of the same config and stored in the history (unless
--no-history), then reported, then notified: the report and the exit code are decided before the
notification, which can only add a warning.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_cli.commands.evaluation import Scope, evaluate
from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, by_dimension, check_choice, load_with_history, review_month
from kpi_cli.config import load_config
from kpi_cli.errors import KpiError
from kpi_cli.exit_codes import FAIL_ON, ExitCode, FailOn, exit_code
from kpi_cli.files import write_atomic
from kpi_cli.findings import Severity
from kpi_cli.history import default_path
from kpi_cli.i18n import Lang
from kpi_cli.render.format_names import Format
from kpi_cli.untrusted import one_line

if TYPE_CHECKING:
    from kpi_cli.render.formats import RenderOptions
    from kpi_cli.review import Review
    from kpi_cli.runs.outcome import RunMemory

# The renderers (rich) and notifications are imported where used: a large export's scan runs
# while they import (commands/evaluation.py imports the renderers beside it, sources/prefetch.py).

STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


@dataclass(frozen=True)
class RunFlags:
    """The options about memory and noise, apart from what to evaluate."""

    no_history: bool = False
    only_new: bool = False
    quiet: bool = False


def run(
    config: Path,
    as_of: str | None,
    period: str | None,
    fmt: Format,
    fail_on: str,
    output: Path | None,
    by: str | None,
    history: Path | None = None,
    lang: Lang | None = None,
    compact: bool = False,
    flags: RunFlags = RunFlags(),
    limit: int | None = None,
) -> ExitCode:
    check_choice("--fail-on", fail_on, FAIL_ON)
    day = as_of_date(as_of)
    month = review_month(period, day)
    dimension = by_dimension(by)
    where = None if flags.no_history else (history or default_path(config))
    loaded = load_config(config) if where is None else load_with_history(config, where)
    review = evaluate(loaded, Scope(day, month, dimension))
    from kpi_cli.runs.remember import remember  # here: the read starts before it is imported

    review, memory = remember(loaded, review, where, dimension, flags.only_new)
    reader = chosen_lang(lang)
    code = exit_code((f.severity for f in review.findings), fail_on)
    threshold = None if fail_on == FailOn.NEVER else Severity(fail_on)
    from kpi_cli.render.formats import RenderOptions

    options = RenderOptions(
        compact=compact, config_name=str(config), memory=memory, fail_on=threshold, limit=limit
    )
    fmt = Format(fmt)
    if not (flags.quiet and code is ExitCode.OK and output is None):
        _report(review, reader, fmt, options, output)
    if fmt is Format.GITHUB:
        _step_summary(review, reader, options)
    _notify(review, memory, reader, where)
    return code


def _report(review: Review, reader: Lang, fmt: Format, options: RenderOptions, output: Path | None) -> None:
    from kpi_cli.render.console import make_console
    from kpi_cli.render.formats import RENDERERS

    renderer = RENDERERS[fmt]
    if output is None and fmt is Format.TEXT and sys.stdout.isatty():
        renderer(review, reader, make_console(), options)  # a terminal: colour, live width
        return
    buffer = io.StringIO()
    renderer(review, reader, make_console(buffer), options)
    # JSON has no padding to strip (and a `--by` report is a million lines of it).
    text = buffer.getvalue() if fmt is Format.JSON else without_trailing_spaces(buffer.getvalue())
    if output is None:
        print(text, end="")
    else:
        write_atomic(output, text)


def _step_summary(review: Review, reader: Lang, options: RenderOptions) -> None:
    """GitHub shows `$GITHUB_STEP_SUMMARY` on the run's page; each step appends its Markdown."""
    target = os.environ.get(STEP_SUMMARY_ENV, "").strip()
    if not target:
        return
    from kpi_cli.render.console import make_console
    from kpi_cli.render.formats import RENDERERS

    buffer = io.StringIO()
    RENDERERS[Format.MARKDOWN](review, reader, make_console(buffer), options)
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(without_trailing_spaces(buffer.getvalue()))
    except OSError as exc:
        _warn(f"{target}: cannot append the step summary ({exc.strerror or exc})")


def _notify(review: Review, memory: RunMemory, reader: Lang, where: Path | None) -> None:
    settings = review.config.notify
    if settings is None:
        return
    from kpi_cli.runs import notifying
    from kpi_cli.runs.remember import AlertSettingsLookup

    lookup = AlertSettingsLookup(review.config)
    chosen = notifying.plan(memory.assessment, review.as_of, lookup, Severity(settings.min_severity))
    try:
        notifying.send(settings, review, chosen, reader, where, memory.run_id, _warn)
    except KpiError as exc:  # the history went away between the run and its notification
        _warn(f"notification not recorded: {exc}")


def _warn(message: str) -> None:
    print(f"kpi: warning: {one_line(message)}", file=sys.stderr)


def without_trailing_spaces(text: str) -> str:
    """Table padding is for the eye at a terminal; in mail, files and pipes it is noise."""
    return "\n".join(line.rstrip() for line in text.split("\n"))
