"""`kpi platforms`: the built-in profiles, what each maps and how each is detected."""

from __future__ import annotations

from pathlib import Path

from kpi_cli.commands.choices import check_choice
from kpi_cli.commands.language import chosen_lang
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang, Wording, catalog_keys, render, term
from kpi_cli.jsonio import dumps
from kpi_cli.render.console import emit
from kpi_cli.render.export_models import Platform, PlatformList
from kpi_cli.render.format_names import Format
from kpi_cli.render.inspect import render_platforms
from kpi_cli.sources.profile import Profile
from kpi_cli.sources.profiles import BUILTIN, available


def platform_list(profiles_dir: Path | None = None, lang: Lang = Lang.EN) -> PlatformList:
    """Built-in profiles, plus the user's YAML profiles when `profiles_dir` is given."""
    profiles = available(profiles_dir) if profiles_dir else list(BUILTIN)
    return PlatformList(platforms=[_platform(profile, lang) for profile in profiles])


def _platform(profile: Profile, lang: Lang) -> Platform:
    key = f"platform.title.{profile.name}"
    # A built-in profile's title is translated in the catalog; a user's profile keeps its own.
    builtin = any(p is profile for p in BUILTIN) and key in catalog_keys(lang)
    signatures = [list(signature) for signature in profile.detect]
    if signatures:
        joined = term("platforms.detect.or", lang).join(" + ".join(s) for s in signatures)
        detect = render(Wording("platforms.detect", {"signatures": joined}), lang)
    else:
        detect = term("platforms.detect.named", lang)
    return Platform(
        name=profile.name,
        title=profile.title,
        title_shown=term(key, lang) if builtin else profile.title,
        maps={canonical: list(aliases) for canonical, aliases in profile.aliases().items()},
        detect=detect,
        signatures=signatures,
    )


def list_platforms(profiles_dir: Path | None = None) -> list[dict[str, object]]:
    """The entries as plain dicts, in English (kept for callers of the untyped era)."""
    return [p.model_dump(mode="json") for p in platform_list(profiles_dir).platforms]


def run(fmt: Format, profiles: Path | None, lang: Lang | None = None) -> ExitCode:
    check_choice("--format", fmt, (Format.TEXT, Format.JSON))
    reader = chosen_lang(lang)
    listed = platform_list(profiles, reader)
    if fmt == Format.JSON:
        print(dumps(listed.document(reader)))
    else:
        emit(lambda console: render_platforms(listed, console, reader))
    return ExitCode.OK
