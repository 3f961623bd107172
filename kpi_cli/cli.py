"""The `kpi` command: wiring only. Options here, work in kpi_cli.commands, errors translated once.

Heavy imports (pandas, rich tables, scipy) happen inside the command functions so that
`kpi --help` starts fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kpi_cli.commands.usage_errors import usage_problem
from kpi_cli.errors import KpiError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n.catalog import Lang, Wording, lang_from_env, render, term
from kpi_cli.render.format_names import Format
from kpi_cli.untrusted import one_line

# `kpi --help` has no --lang: the locale decides, as it does for every other output.
_HELP_LANG = lang_from_env(os.environ)


def _summary(command: str) -> str | None:
    """A command's help in Japanese under a Japanese locale; None keeps the docstring (English)."""
    return None if _HELP_LANG is Lang.EN else term(f"help.{command}", _HELP_LANG)


app = typer.Typer(
    name="kpi",
    help=_summary("app") or "Review KGI/KPI goals, funnels and pivot deadlines against SNS and MA exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="The YAML config defining the KGI, KPIs, funnel and sources.")
]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="Evaluate as on this date (YYYY-MM-DD); default today.")
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", help="The month to review, e.g. 2026-10; default the month of --as-of."),
]
HistoryOption = Annotated[
    Path | None,
    typer.Option(
        "--history",
        help="The history database; default $KPI_HISTORY, else .kpi/history.sqlite beside the config.",
    ),
]
LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of the output: en or ja; default from LC_ALL, LC_MESSAGES or LANG (ja_JP.* is ja).",
    ),
]
TextOrJsonOption = Annotated[Format, typer.Option("--format", help="Output format: text or json.")]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Also evaluate every KPI per segment, channel or campaign.")
]
LimitOption = Annotated[
    int,
    typer.Option(
        "--limit",
        min=0,
        help="Text: show the N groups ranked highest and lowest by the primary KPI; 0 shows all "
        "(JSON lists every group).",
    ),
]
DEFAULT_LIMIT = 20  # a screenful of groups; render/limit.py does the cutting


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of an error.")] = False,
) -> None:
    ctx.obj = {"debug": debug}


def _run(ctx: typer.Context, work: Callable[[], ExitCode]) -> None:
    """The one place errors become exit codes: 2 for bad input, 3 for a bug, never 1.

    1 means "a finding reached --fail-on" to a CI gate, so no exception may end in it.
    """
    debug = bool((ctx.obj or {}).get("debug"))
    try:
        code = work()
    except KpiError as exc:
        if debug:
            raise
        # One line per problem (a config can have several), each naming its file and line.
        lang = _lang_of(ctx.params.get("lang"))
        for problem in exc.lines(lang):
            _say(error_line(problem, lang))
        raise typer.Exit(ExitCode.ERROR) from None
    except KeyboardInterrupt:
        _say(render(Wording("error.interrupted"), _lang_of(ctx.params.get("lang"))))
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except Exception as exc:  # any other exception is a bug in kpi, whatever it is
        if debug:
            raise
        _say(internal_error_line(exc))
        raise typer.Exit(ExitCode.INTERNAL) from None
    raise typer.Exit(int(code))


def _lang_of(chosen: object) -> Lang:
    """The --lang given, else the locale's: errors speak the language the output would have."""
    return chosen if isinstance(chosen, Lang) else lang_from_env(os.environ)


def error_line(problem: str, lang: Lang) -> str:
    """`kpi: error: ...` (`kpi: エラー: ...`): one line, whatever the problem quotes from a file."""
    return render(Wording("error.line", {"problem": one_line(problem)}), lang)


def _usage_message(exc: Exception, lang: Lang) -> str:
    """Click's message on one line, with the command whose --help explains the usage."""
    message = usage_problem(exc, lang)
    context = getattr(exc, "ctx", None)
    path = getattr(context, "command_path", "") or ""
    return (
        render(Wording("error.usage.see_help", {"problem": message, "command": path}), lang)
        if path
        else message
    )


def _lang_in(args: list[str]) -> Lang:
    """--lang as typed, before click has parsed it (the usage error may be about another option)."""
    for i, arg in enumerate(args):
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in tuple(Lang):
            return Lang(value)
    return lang_from_env(os.environ)


def internal_error_line(exc: BaseException) -> str:
    detail = one_line(exc, 300)
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    return f"kpi: internal error: {what}; rerun with --debug and report it"


def _say(line: str) -> None:
    print(line, file=sys.stderr)


@app.command(help=_summary("review"))
def review(
    ctx: typer.Context,
    config: ConfigOption,
    as_of: AsOfOption = None,
    period: PeriodOption = None,
    by: ByOption = None,
    history: HistoryOption = None,
    lang: LangOption = None,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """The monthly review: KGI progress, KPI table, funnel and findings, worst first."""
    from kpi_cli.commands import review as command

    _run(ctx, lambda: command.run(config, as_of, period, by, history, lang, limit))


@app.command(help=_summary("check"))
def check(
    ctx: typer.Context,
    config: ConfigOption,
    as_of: AsOfOption = None,
    period: PeriodOption = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="Output format: text, json, markdown, junit or github.")
    ] = Format.TEXT,
    fail_on: Annotated[
        str,
        typer.Option("--fail-on", help="Exit 1 when a finding reaches warn or fail; never: always exit 0."),
    ] = "fail",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    by: ByOption = None,
    history: HistoryOption = None,
    lang: LangOption = None,
    compact: Annotated[
        bool, typer.Option("--compact", help="Text: one line per finding (grep-able, for cron mail).")
    ] = False,
    no_history: Annotated[
        bool,
        typer.Option("--no-history", help="Neither read nor store the run history: every finding is new."),
    ] = False,
    only_new: Annotated[
        bool,
        typer.Option("--only-new", help="Report and gate only findings new since the previous run."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing when nothing reached --fail-on (cron mail).")
    ] = False,
    limit: LimitOption = DEFAULT_LIMIT,
) -> None:
    """Evaluate for cron and CI: exit 0 pass, 1 a finding reached --fail-on, 2 bad config, data or usage."""
    from kpi_cli.commands import check as command

    flags = command.RunFlags(no_history=no_history, only_new=only_new, quiet=quiet)
    _run(
        ctx,
        lambda: command.run(
            config, as_of, period, fmt, fail_on, output, by, history, lang, compact, flags, limit
        ),
    )


@app.command(help=_summary("validate"))
def validate(ctx: typer.Context, config: ConfigOption, lang: LangOption = None) -> None:
    """Check the config, and that every source loads and has the columns the config needs."""
    from kpi_cli.commands import validate as command

    _run(ctx, lambda: command.run(config, lang))


@app.command(help=_summary("plan"))
def plan(
    ctx: typer.Context,
    config: ConfigOption,
    as_of: AsOfOption = None,
    window: Annotated[
        int, typer.Option("--window", help="Complete months the conversions are observed over.")
    ] = 3,
    fmt: TextOrJsonOption = Format.TEXT,
    use_benchmarks: Annotated[
        bool, typer.Option("--use-benchmarks", help="Plan with each stage's benchmark conversion where set.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Back-calculate the volume each funnel stage needs per month to reach the KGI by its deadline."""
    from kpi_cli.commands import plan as command

    _run(ctx, lambda: command.run(config, as_of, window, fmt, use_benchmarks, lang))


@app.command(help=_summary("checkin"))
def checkin(
    ctx: typer.Context,
    config: ConfigOption,
    kpi: Annotated[str, typer.Option("--kpi", help="The id of the KPI.")],
    confidence: Annotated[str, typer.Option("--confidence", help="on_track, at_risk or off_track.")],
    comment: Annotated[str | None, typer.Option("--comment", help="Why, in a sentence.")] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Who checks in; default the KPI's owner.")
    ] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="The date of the check-in; default today.")
    ] = None,
    history: HistoryOption = None,
    lang: LangOption = None,
) -> None:
    """Record the owner's confidence in a KPI; reviews show it beside the computed status."""
    from kpi_cli.commands import checkin as command

    _run(ctx, lambda: command.run(config, kpi, confidence, comment, owner, day, history, lang))


HistoryFormatOption = Annotated[
    Format, typer.Option("--format", help="Output format: text, json or markdown.")
]


@app.command(help=_summary("history"))
def history(
    ctx: typer.Context,
    config: ConfigOption,
    history: HistoryOption = None,
    fmt: HistoryFormatOption = Format.TEXT,
    lang: LangOption = None,
    by: ByOption = None,
    last: Annotated[int, typer.Option("--last", help="Show the latest N runs.")] = 30,
) -> None:
    """The runs kpi check stored, and each KPI month by month: value, target, status."""
    from kpi_cli.commands import history as command

    _run(ctx, lambda: command.run_history(config, history, fmt, lang, by, last))


@app.command(help=_summary("diff"))
def diff(
    ctx: typer.Context,
    config: ConfigOption,
    history: HistoryOption = None,
    fmt: HistoryFormatOption = Format.TEXT,
    lang: LangOption = None,
    by: ByOption = None,
) -> None:
    """What changed between the last two stored runs: new and resolved findings, KPI statuses."""
    from kpi_cli.commands import history as command

    _run(ctx, lambda: command.run_diff(config, history, fmt, lang, by))


@app.command(help=_summary("compare"))
def compare(
    ctx: typer.Context,
    config: ConfigOption,
    by: Annotated[
        str, typer.Option("--by", help="Compare by account, influencer, segment, campaign or channel.")
    ],
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help="Rank by engagement_rate, ctr, conversion_rate, cpa or roas; default cpa where there is cost.",
        ),
    ] = None,
    period: PeriodOption = None,
    as_of: AsOfOption = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="Output format: text, json or markdown.")
    ] = Format.TEXT,
    lang: LangOption = None,
    engagement: Annotated[
        str | None,
        typer.Option(
            "--engagement",
            help="Engagement rate over impressions or reach for every group, where platforms differ.",
        ),
    ] = None,
) -> None:
    """Groups side by side: volume, engagement, CTR, CVR, CPA, ROAS, cost and shares, ranked honestly."""
    from kpi_cli.commands import compare as command

    _run(ctx, lambda: ExitCode(command.run(config, by, metric, period, as_of, fmt, lang, engagement)))


ProfilesOption = Annotated[
    Path | None,
    typer.Option(
        "--profiles", help="Folder with user-defined *.profile.yaml profiles; default the file's folder."
    ),
]


@app.command(help=_summary("inspect"))
def inspect(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The export to read (CSV, TSV or .xlsx).")],
    platform: Annotated[
        str, typer.Option("--platform", help="A profile name (see kpi platforms); default auto.")
    ] = "auto",
    fmt: TextOrJsonOption = Format.TEXT,
    profiles: ProfilesOption = None,
    lang: LangOption = None,
) -> None:
    """Show what kpi reads from one export: platform, encoding, rows, columns, sums, skipped lines."""
    from kpi_cli.commands import inspect as command

    _run(ctx, lambda: command.run(file, platform, fmt, profiles, lang))


@app.command(help=_summary("platforms"))
def platforms(
    ctx: typer.Context,
    fmt: TextOrJsonOption = Format.TEXT,
    profiles: Annotated[
        Path | None, typer.Option("--profiles", help="Also list the user-defined profiles in this folder.")
    ] = None,
    lang: LangOption = None,
) -> None:
    """List the export profiles: what each maps to canonical metrics and how each is detected."""
    from kpi_cli.commands import platforms as command

    _run(ctx, lambda: command.run(fmt, profiles, lang))


def main(argv: list[str] | None = None) -> int:
    """The command in this process, returning the exit code: what the console script and
    `python -m kpi_cli` run in their guarded child (guard.py), and what tests call in-process.

    Click's standalone mode would print usage errors as a five-line box; here they are one
    `kpi: error:` line like every other bad input, exit 2.
    """
    from kpi_cli import streams
    from kpi_cli.pydantic_plugins import plugins_off

    streams.install()
    args = argv if argv is not None else sys.argv[1:]
    try:
        with plugins_off():
            result = app(args=args, prog_name="kpi", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        _say(render(Wording("error.interrupted"), _lang_in(args)))
        return ExitCode.INTERRUPTED
    except typer.TyperException as exc:  # click's usage errors (typer vendors click)
        lang = _lang_in(args)
        _say(error_line(_usage_message(exc, lang), lang))
        return ExitCode.ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except Exception as exc:  # raised outside a command (option parsing, start-up): still a bug
        if "--debug" in args:
            raise
        _say(internal_error_line(exc))
        return ExitCode.INTERNAL
    return int(result) if isinstance(result, int) else 0
