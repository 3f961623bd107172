"""`kpi check`: the review for cron and CI; the exit code says whether anything reached --fail-on."""

from __future__ import annotations

import io
from pathlib import Path

from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import as_of_date, by_dimension, check_choice, load_with_history
from kpi_cli.exit_codes import FAIL_ON, ExitCode, exit_code
from kpi_cli.files import write_atomic
from kpi_cli.i18n import Lang
from kpi_cli.render import json_report
from kpi_cli.render.console import make_console
from kpi_cli.render.text import render_check
from kpi_cli.review import Review, run_review

FORMATS = ("text", "json")


def run(
    config: Path,
    as_of: str | None,
    period: str | None,
    fmt: str,
    fail_on: str,
    output: Path | None,
    by: str | None,
    history: Path | None = None,
    lang: Lang | None = None,
) -> ExitCode:
    check_choice("--format", fmt, FORMATS)
    check_choice("--fail-on", fail_on, FAIL_ON)
    review = run_review(load_with_history(config, history), as_of_date(as_of), period, by_dimension(by))
    _write(_format(review, fmt, output is None, chosen_lang(lang)), output)
    return exit_code((f.severity for f in review.findings), fail_on)


def _format(review: Review, fmt: str, to_terminal: bool, lang: Lang) -> str | None:
    if fmt == "json":
        return json_report.render(review, lang) + "\n"
    if to_terminal:
        render_check(review, make_console(), lang)
        return None
    buffer = io.StringIO()
    render_check(review, make_console(buffer), lang)
    return buffer.getvalue()


def _write(text: str | None, output: Path | None) -> None:
    if text is None:
        return
    if output is None:
        print(text, end="")
        return
    write_atomic(output, text)
