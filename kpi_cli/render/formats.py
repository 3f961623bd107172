"""Outputs as a registry: `--format NAME` picks a renderer registered here by name (datasette-style).

A renderer receives the evaluation, the reader's language and a console, and writes one report.
The CI formats (junit, github) and the HTML report of later issues plug in with one entry each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from kpi_cli.i18n import Lang
from kpi_cli.render import json_report, markdown
from kpi_cli.render.format_names import Format
from kpi_cli.render.text import render_check, render_compact
from kpi_cli.review import Review


@dataclass(frozen=True)
class RenderOptions:
    compact: bool = False  # text only: one line per finding, for grep and cron mail
    config_name: str = ""  # the config file as the user named it, for the footer


Renderer = Callable[[Review, Lang, Console, RenderOptions], None]


def _text(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    if options.compact:
        render_compact(review, console, lang)
    else:
        render_check(review, console, lang, options.config_name)


def _json(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    console.file.write(json_report.render(review, lang) + "\n")


def _markdown(review: Review, lang: Lang, console: Console, options: RenderOptions) -> None:
    console.file.write(markdown.render_markdown(review, lang))


__all__ = ["RENDERERS", "Format", "RenderOptions", "Renderer"]

RENDERERS: dict[Format, Renderer] = {
    Format.TEXT: _text,
    Format.JSON: _json,
    Format.MARKDOWN: _markdown,
}
