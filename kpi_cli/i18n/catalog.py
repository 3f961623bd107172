"""Catalog loading, language choice and template rendering.

Catalogs are YAML files shipped as package data (`en.yaml`, `ja.yaml`): a key maps to a template
in `str.format` syntax, or to plural forms `{count: <param>, one: ..., other: ...}` chosen by
Babel's CLDR plural rules for the language (Japanese has only `other`). Values are formatted by
type at render time (`kpi_cli.i18n.formatting`).
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from kpi_cli.i18n.formatting import format_value, preload_locale


class Lang(StrEnum):
    EN = "en"
    JA = "ja"


def lang_from_env(environ: Mapping[str, str]) -> Lang:
    """POSIX order: the first of LC_ALL, LC_MESSAGES, LANG that is set decides; ja_JP.* is Japanese."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return Lang.JA if value.lower().startswith("ja") else Lang.EN
    return Lang.EN


@dataclass(frozen=True)
class Wording:
    """A catalog key and the values its template is rendered with."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@cache
def _catalog(lang: Lang) -> dict[str, Any]:
    """`ja.yaml` plus every `ja.<part>.yaml` beside it (one part per feature keeps edits apart).

    A key defined in two files is a bug in kpi, not a choice: refused rather than one silently won.
    """
    folder = resources.files("kpi_cli.i18n")
    parts = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.startswith(f"{lang.value}.")
        and entry.name.endswith(".yaml")
        and entry.name.count(".") == 2
    )
    names = [f"{lang.value}.yaml", *parts]
    merged: dict[str, Any] = {}
    for name in names:
        loaded = yaml.load(folder.joinpath(name).read_text(encoding="utf-8"), Loader=_UniqueKeys)
        assert isinstance(loaded, dict), f"{name} must be a mapping"
        twice = sorted(set(merged) & set(loaded))
        assert not twice, f"{name} repeats catalog keys: {', '.join(twice)}"
        merged.update(loaded)
    return merged


# The catalogs are parsed on every run that says anything (about 1,200 lines in two languages):
# PyYAML's pure-Python scanner took ~0.06 s of a ~1 s `kpi check`, libyaml's about a tenth of that.
# They are kpi's own files, so libyaml's terser error messages cost nothing; the config, which is
# the user's and needs exact positions in its errors, keeps the Python loader (config/yaml_positions).
_FastestSafeLoader: type[yaml.SafeLoader | yaml.CSafeLoader] = (
    yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
)


class _UniqueKeys(_FastestSafeLoader):  # type: ignore[misc,valid-type]
    """PyYAML keeps the last of two equal keys in one mapping; a catalog must not (a merge left
    one key twice in ja.sources.yaml and nothing said so)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = sorted({str(k) for k in keys if keys.count(k) > 1})
        assert not twice, f"catalog keys defined twice in one file: {', '.join(twice)}"
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


_EXTRA: dict[Lang, dict[str, str]] = {lang: {} for lang in Lang}


def set_extra_messages(messages: Mapping[Lang, Mapping[str, str]]) -> None:
    """Wording brought by registered rules (a plugin rule, a test fixture), beside the YAML files."""
    for lang in Lang:
        _EXTRA[lang] = dict(messages.get(lang, {}))


def _entries(lang: Lang) -> dict[str, Any]:
    """The catalog and the rules' extra wording, merged once per pair (each render looks a key up:
    merging ~700 entries per call cost a `--by` report 3 % of its time)."""
    base, extra = _catalog(lang), _EXTRA[lang]
    kept = _MERGED.get(lang)
    if kept is not None and kept[0] is base and kept[1] is extra:
        return kept[2]
    merged = {**base, **extra}
    _MERGED[lang] = (base, extra, merged)
    return merged


# The pair merged from, by identity: `set_extra_messages` installs new dicts and a cleared
# `_catalog` cache loads a new one, so either change is seen without a hook.
_MERGED: dict[Lang, tuple[dict[str, Any], dict[str, str], dict[str, Any]]] = {}


def catalog_keys(lang: Lang) -> set[str]:
    return set(_entries(lang))


def term(key: str, lang: Lang) -> str:
    """A fixed word (a status, a table header) in the language; the key itself if it is missing."""
    entry = _entries(lang).get(key)
    if entry is None:  # not `.get(key, <English>)`: that built the English entries on every call
        entry = _entries(Lang.EN).get(key, key)
    return str(entry)


class _Formatter(string.Formatter):
    """`str.format` with kpi's fields: the general path, for templates `_compiled` leaves to it."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        return _field(value, format_spec, self.lang)


def _field(value: Any, format_spec: str, lang: Lang) -> str:
    if type(value) is str:  # names and periods: most fields (format_value's first case)
        return format_value(value, lang, format_spec, term)
    if isinstance(value, Wording):  # a phrase inside a phrase (a subject, a limit)
        return render(value, lang)
    if isinstance(value, list | tuple) and any(isinstance(v, Wording) for v in value):
        value = [render(v, lang) if isinstance(v, Wording) else v for v in value]
    return format_value(value, lang, format_spec, term)


# A template as its pieces: the literal text before each field, the field's name and format spec
# (the last piece's name is None: text after the last field).
_Pieces = tuple[tuple[str, str | None, str], ...]


@lru_cache(maxsize=4096)
def _compiled(template: str) -> _Pieces | None:
    """The template parsed once, where rendering it is only "look each name up in the params".

    `string.Formatter.vformat` parsed every template on every call (~40 % of the wording of a
    `--by` report's 3,330 findings). Fields with more than a name (`{a.b}`, `{a[0]}`, `{0}`, `{}`,
    a conversion `!r`, a spec holding a field) and malformed templates keep the general path: None.
    No shipped template has one; an extra message from a rule may.
    """
    pieces: list[tuple[str, str | None, str]] = []
    try:
        parsed = list(_PARSER.parse(template))
    except ValueError:  # vformat fails where it meets the fault, after the fields before it: its own path
        return None
    for literal, name, spec, conversion in parsed:
        spec = spec or ""
        if name is not None and not _only_a_name(name, spec, conversion):
            return None
        pieces.append((literal, name, spec))
    return tuple(pieces)


_PARSER = string.Formatter()


def _only_a_name(name: str, spec: str, conversion: str | None) -> bool:
    """A field vformat renders as `format_field(kwargs[name], spec)`: a name it looks up as a key
    (not `""`, auto-numbered, nor all decimal digits, an index into the positional args; no `.` or
    `[` after it), no conversion, a spec with no field in it."""
    plain_name = bool(name) and not name.isdecimal() and "." not in name and "[" not in name
    return plain_name and conversion is None and "{" not in spec and "}" not in spec


@cache
def _plural_form(lang: str) -> Callable[[float], str]:
    from babel import Locale  # at the first plural, not with the catalog (formatting.py says why)

    rule: Callable[[float], str] = Locale.parse(lang).plural_form
    return rule


def preload() -> None:
    """Every language's catalog and CLDR data (number symbols, dates, plurals) loaded now.

    A check's history stores each finding's wording in every language, so the first findings
    rendered after the scan loaded all of it (~25 ms of CPU: YAML, Babel's pickled locale data);
    commands/evaluation.py calls this while DuckDB scans instead. Loading is idempotent (cached).
    """
    for lang in Lang:
        _catalog(lang)
        _plural_form(lang.value)
        preload_locale(lang.value)


def render(wording: Wording, lang: Lang) -> str:
    entry = _entries(lang).get(wording.key)
    if entry is None:
        entry = _entries(Lang.EN)[wording.key]  # a missing translation falls back to English
    if isinstance(entry, dict):
        count = wording.params[entry["count"]]
        form = _plural_form(lang.value)(abs(count))
        entry = entry.get(form, entry["other"])
    template = str(entry)
    pieces = _compiled(template)
    if pieces is None:
        return _Formatter(lang).vformat(template, (), dict(wording.params))
    params = wording.params
    out: list[str] = []
    for literal, name, spec in pieces:  # what vformat does for fields that are only a name
        out.append(literal)
        if name is not None:
            out.append(_field(params[name], spec, lang))
    return "".join(out)
