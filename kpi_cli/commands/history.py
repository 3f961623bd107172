"""`kpi history` and `kpi diff`: the runs `kpi check` stored, read back without evaluating anything."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.language import chosen_lang
from kpi_cli.commands.options import by_dimension, check_choice
from kpi_cli.config import load_config
from kpi_cli.exit_codes import ExitCode
from kpi_cli.history import default_path
from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.jsonio import dumps
from kpi_cli.render import history_view
from kpi_cli.render.format_names import Format
from kpi_cli.runs.store import notifications_of, read_runs, runs_of

FORMATS = (Format.TEXT, Format.JSON, Format.MARKDOWN)
MAX_RUNS = 10_000


def _series(config: Path, history: Path | None, by: str | None) -> tuple[str, Path, str]:
    loaded = load_config(config)
    return loaded.config.name, history or default_path(config), by_dimension(by) or ""


def _out(doc: dict[str, object], lines: list[str], fmt: Format) -> None:
    print(dumps(doc) if fmt == "json" else "\n".join(lines))


def run_history(
    config: Path, history: Path | None, fmt: Format, lang: Lang | None, by: str | None, last: int
) -> ExitCode:
    check_choice("--format", fmt, FORMATS)
    reader = chosen_lang(lang)
    name, path, series = _series(config, history, by)
    runs = runs_of(path, name, series, max(1, min(last, MAX_RUNS)))
    kpis, found = read_runs(path, runs)
    doc = history_view.history_json(runs, kpis, found, notifications_of(path, runs))
    if not runs and fmt != "json":
        print(render(Wording("history.none", {"name": name, "path": str(path)}), reader))
        return ExitCode.OK
    _out(doc, history_view.history_lines(doc, reader, fmt == "markdown"), fmt)
    return ExitCode.OK


def run_diff(config: Path, history: Path | None, fmt: Format, lang: Lang | None, by: str | None) -> ExitCode:
    check_choice("--format", fmt, FORMATS)
    reader = chosen_lang(lang)
    name, path, series = _series(config, history, by)
    runs = runs_of(path, name, series, 2)
    if len(runs) < 2:
        key = "history.none" if not runs else "diff.only_one"
        if fmt == "json":
            print(
                dumps(
                    {
                        "schema": "kpi-diff/1",
                        "before": None,
                        "after": None,
                        "new": [],
                        "resolved": [],
                        "changed": [],
                    }
                )
            )
        else:
            print(render(Wording(key, {"name": name, "path": str(path)}), reader))
        return ExitCode.OK
    kpis, found = read_runs(path, runs)
    doc = history_view.diff_json(runs[0], runs[1], kpis, found, reader)
    _out(doc, history_view.diff_lines(doc, reader, fmt == "markdown"), fmt)
    return ExitCode.OK
