"""`kpi platforms`: the built-in profiles, what each maps and how each is detected."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.choices import check_choice
from kpi_cli.exit_codes import ExitCode
from kpi_cli.jsonio import dumps
from kpi_cli.render.console import make_console
from kpi_cli.render.inspect import render_platforms
from kpi_cli.sources.profiles import BUILTIN, available


def list_platforms(profiles_dir: Path | None = None) -> list[dict[str, object]]:
    """Built-in profiles, plus the user's YAML profiles when `profiles_dir` is given."""
    profiles = available(profiles_dir) if profiles_dir else list(BUILTIN)
    return [
        {
            "name": profile.name,
            "title": profile.title,
            "maps": {canonical: list(aliases) for canonical, aliases in profile.aliases().items()},
            "detect": profile.describe_detection(),
        }
        for profile in profiles
    ]


def run(fmt: str, profiles: Path | None) -> ExitCode:
    check_choice("--format", fmt, ("text", "json"))
    rows = list_platforms(profiles)
    if fmt == "json":
        print(dumps(rows))
    else:
        render_platforms(rows, make_console())
    return ExitCode.OK
