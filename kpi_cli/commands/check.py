"""`kpi check`: the review for cron and CI; the exit code says whether anything reached --fail-on."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import (
    as_of_date,
    by_dimension,
    check_choice,
    flag,
    load_with_history,
    review_month,
)
from kpi_cli.exit_codes import FAIL_ON, ExitCode, exit_code
from kpi_cli.files import write_atomic
from kpi_cli.i18n import Lang
from kpi_cli.render.console import make_console
from kpi_cli.render.formats import RENDERERS, Format, RenderOptions
from kpi_cli.review import run_review


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
) -> ExitCode:
    check_choice("--fail-on", fail_on, FAIL_ON)
    day = as_of_date(as_of)
    month = review_month(period, day)
    with flag("--period"):
        review = run_review(load_with_history(config, history), day, month, by_dimension(by))
    options = RenderOptions(compact=compact, config_name=str(config))
    renderer = RENDERERS[Format(fmt)]
    if output is None and fmt is Format.TEXT and sys.stdout.isatty():
        renderer(review, chosen_lang(lang), make_console(), options)  # a terminal: colour, live width
    else:
        buffer = io.StringIO()
        renderer(review, chosen_lang(lang), make_console(buffer), options)
        text = without_trailing_spaces(buffer.getvalue())
        if output is None:
            print(text, end="")
        else:
            write_atomic(output, text)
    return exit_code((f.severity for f in review.findings), fail_on)


def without_trailing_spaces(text: str) -> str:
    """Table padding is for the eye at a terminal; in mail, files and pipes it is noise."""
    return "\n".join(line.rstrip() for line in text.split("\n"))
