"""Value types of the config that plain `float`/`int` get wrong for a goal-setting file.

pydantic's lax mode reads `target: true` as 1.0 and YAML's `.nan`/`.inf` as numbers, and each
then produces a confident verdict about nothing. A `Number` is finite and never a boolean.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AllowInfNan, BeforeValidator

from kpi_cli.errors import Refused


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise Refused("error.value.not_bool", value=str(value).lower())
    return value


Number = Annotated[float, BeforeValidator(_not_bool), AllowInfNan(False)]
Count = Annotated[int, BeforeValidator(_not_bool)]


MAX_PATTERN_CHARS = 200  # a UTM code needs a short pattern; a long one is a mistake or an attack


def _dimension_pattern(value: object) -> object:
    """A regular expression that compiles, is short, and has at most one group (the value kept)."""
    import re

    if not isinstance(value, str):
        raise Refused("error.value.pattern_type")
    if len(value) > MAX_PATTERN_CHARS:
        raise Refused("error.value.pattern_long", most=MAX_PATTERN_CHARS)
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise Refused("error.value.pattern_bad", problem=str(exc)) from None
    if compiled.groups > 1:
        raise Refused("error.value.pattern_groups")
    return value


DimensionPattern = Annotated[str, BeforeValidator(_dimension_pattern)]
