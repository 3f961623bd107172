"""Outputs as a registry: `--format NAME` picks a renderer registered here by name (datasette-style).

A renderer receives the evaluation, the reader's language and a console, and writes one report.
The CI formats (junit, github) and the HTML report of later issues plug in with one entry each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from kpi_cli.findings import Severity
from kpi_cli.i18n import Lang
from kpi_cli.jsonio import dumps
from kpi_cli.render import github, json_report, junit, markdown, runs
from kpi_cli.render.format_names import Format
from kpi_cli.render.limit import print_note, shown
from kpi_cli.render.text import render_check, render_compact
from kpi_cli.review import Review
from kpi_cli.runs.outcome import RunMemory


@dataclass(frozen=True)
class RenderOptions:
    compact: bool = False  # text only: one line per finding, for grep and cron mail
    config_name: str = ""  # the config file as the user named it, for the footer
    memory: RunMemory | None = None  # kpi check's run history: resolved, pending, previous run
    fail_on: Severity | None = None  # junit: findings at or above it are failures (None: never)
    limit: int | None = None  # text only: the groups of a --by review shown (render/limit.py)


Renderer = Callable[[Review, Lang, Console, RenderOptions], None]


def _text(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    review = runs.unmarked(review, options.memory)
    if options.compact:
        render_compact(review, console, lang)
        runs.print_compact(options.memory, console)
    else:
        cut = shown(review, options.limit)
        render_check(cut.review, console, lang, options.config_name)
        print_note(cut, console, lang)
        runs.print_text(options.memory, console, lang)


def _json(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    document = {**json_report.to_write(review, lang), **runs.json_fields(options.memory, lang)}
    console.file.write(dumps(document) + "\n")


def _markdown(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    text = markdown.render_markdown(runs.unmarked(review, options.memory), lang)
    extra = runs.markdown_lines(options.memory, lang)
    console.file.write(text + ("\n".join(extra) + "\n" if extra else ""))


def _junit(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    from kpi_cli.rules.registry import rule_names

    suites = [kpi.id for kpi in review.config.kpis]
    console.file.write(
        junit.document(
            review.config.name,
            suites,
            rule_names(),
            review.findings,
            options.fail_on,
            lambda f: f.describe(lang),
        )
    )


def _github(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    lines = github.workflow_commands(review.findings, lambda f: f.describe(lang))
    console.file.write("".join(line + "\n" for line in lines))


__all__ = ["RENDERERS", "Format", "RenderOptions", "Renderer"]

RENDERERS: dict[Format, Renderer] = {
    Format.TEXT: _text,
    Format.JSON: _json,
    Format.MARKDOWN: _markdown,
    Format.JUNIT: _junit,
    Format.GITHUB: _github,
}
