"""YAML file -> validated Config, with errors that name the file, the line and the key."""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kpi_cli.config import checks, references, yaml_positions
from kpi_cli.config.models import SOURCE_MODELS, Config
from kpi_cli.errors import ConfigError, Refused, location
from kpi_cli.files import check_regular_file
from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.i18n.values import Term
from kpi_cli.metrics.formulas import Catalog, FormulaError
from kpi_cli.untrusted import excerpt, one_line

# A config states goals in a few hundred lines (the samples are under 10 KiB); 256 KiB is far
# past any real one and keeps the pure-Python YAML parser around a second on the largest it takes.
MAX_CONFIG_BYTES = 256 * 1024

# pydantic's error types, by prefix, worded as `config.phrase.<prefix>` in the catalogs.
_EXPECTED = ("finite_number", "float", "int", "bool", "date", "string", "list", "dict", "model")


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    path: Path
    catalog: Catalog

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def load_config(path: Path) -> LoadedConfig:
    text = _read(path)
    data, positions = yaml_positions.parse(text, path)
    if not isinstance(data, dict):
        raise ConfigError.said("error.config.top_level", path=str(path), kind=_kind(data))
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(worded=_describe(exc, path, positions)) from exc
    catalog = _catalog(config, path, positions)

    def where(loc: tuple[str | int, ...]) -> str:
        return location(path, yaml_positions.line_of(positions, loc))

    if problems := checks.check(config, where):
        raise ConfigError(worded=problems)
    references.check(config, catalog, where)
    return LoadedConfig(config=config, path=path, catalog=catalog)


def _catalog(config: Config, path: Path, positions: yaml_positions.Positions) -> Catalog:
    try:
        return Catalog(config.metrics)
    except FormulaError as exc:
        where = location(path, yaml_positions.line_of(positions, ("metrics", exc.metric)))
        said = {"metric": exc.metric, "where": where, "problem": exc.problem}
        raise ConfigError(worded=[Wording("error.formula.invalid", said)]) from None


def _read(path: Path) -> str:
    # Kind and size first: `-c` naming a FIFO blocked forever, `/dev/zero` ran out of memory.
    check_regular_file(path, ConfigError, "config file", MAX_CONFIG_BYTES)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = str(exc.strerror or exc)
        what = Term("what.config_file")
        raise ConfigError.said("error.file.unreadable", path=str(path), what=what, reason=reason) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError.said("error.config.not_utf8", where=location(path, line), byte=exc.start) from None


def _describe(exc: ValidationError, path: Path, positions: yaml_positions.Positions) -> list[Wording]:
    """Every problem, one per line (cli prints each as its own `kpi: error:` line).

    "(and 2 more problems)" made the user fix a file one run at a time, and never showed the rest.
    A typo in a key also makes the real key "missing": the unknown key is the cause, so unknown keys
    go first; otherwise problems follow the file from top to bottom.
    """
    problems: list[tuple[bool, int, Wording]] = []
    for error in exc.errors():
        tagged = tuple(error["loc"])
        loc = _untagged(tagged)
        line = yaml_positions.line_of(positions, loc) or 0
        said = _one_error(error, loc, path, positions, tagged)
        problems.append((error["type"] != "extra_forbidden", line, said))
    ordered = [said for _, _, said in sorted(problems, key=lambda p: (p[0], p[1]))]
    unique: dict[str, Wording] = {}  # the same problem twice (a union's branches) said once
    for said in ordered:
        unique.setdefault(render(said, Lang.EN), said)
    return list(unique.values())


def _one_error(
    error: Any, loc: tuple[Any, ...], path: Path, positions: yaml_positions.Positions, tagged: tuple[Any, ...]
) -> Wording:
    where = location(path, yaml_positions.line_of(positions, loc))
    kind = error["type"]
    if kind == "extra_forbidden":
        return _unknown_key(tagged, where)
    if kind == "missing":
        parent: object = _dotted(loc[:-1]) or Term("config.top_level")
        return Wording("error.config.missing_key", {"key": str(loc[-1]), "parent": parent, "where": where})
    dotted = _dotted(loc) or "config"
    return Wording("error.config.invalid", {"key": dotted, "where": where, "expected": _expected(error)})


def _unknown_key(tagged: tuple[Any, ...], where: str) -> Wording:
    key = str(tagged[-1])
    close = difflib.get_close_matches(key, _valid_keys(tagged[:-1]), n=1, cutoff=0.5)
    if close:
        return Wording("error.config.unknown_key.close", {"key": key, "where": where, "close": close[0]})
    return Wording("error.config.unknown_key", {"key": key, "where": where})


def _untagged(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The location in the file: pydantic puts the source kind's tag after `sources, i`."""
    if len(loc) > 2 and loc[0] == "sources" and loc[2] in SOURCE_MODELS:
        return loc[:2] + loc[3:]
    return loc


def _valid_keys(loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model standing at `loc` (pydantic's, with a source's kind tag)."""
    if len(loc) == 3 and loc[0] == "sources" and loc[2] in SOURCE_MODELS:
        return list(SOURCE_MODELS[loc[2]].model_fields)
    model: Any = Config
    for part in loc:
        model = _inner_model(model.model_fields[part].annotation) if isinstance(part, str) else model
        if model is None:
            return []
    return list(model.model_fields)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            if (found := _inner_model(arg)) is not None:
                return found
    return None


def _expected(error: Any) -> Wording | str:
    """What the key takes, worded by the catalog; a validator's `Refused` carries its own wording."""
    kind = str(error["type"])
    got = error.get("input")
    # The value comes from the file: a short, cleaned excerpt, never the whole thing.
    shown = excerpt(got) if isinstance(got, str) else one_line(repr(got), 40)
    shown = "" if isinstance(got, dict | list) else shown
    if kind == "value_error":
        refused = error.get("ctx", {}).get("error")
        if isinstance(refused, Refused):  # worded by the catalog: said in the user's language
            return refused.wording
        return str(error["msg"]).removeprefix("Value error, ")
    phrase: object = None
    if kind == "literal_error":
        phrase = str(error["ctx"]["expected"])
    for prefix in _EXPECTED:
        if phrase is None and kind.startswith(prefix):
            phrase = Term(f"config.phrase.{prefix}")
    if phrase is None:
        return f"{error['msg']}" + (f" (got {shown})" if shown else "")
    if shown:
        return Wording("error.config.expected.got", {"phrase": phrase, "got": shown})
    return Wording("error.config.expected", {"phrase": phrase})


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(data: object) -> str:
    return "nothing" if data is None else type(data).__name__
