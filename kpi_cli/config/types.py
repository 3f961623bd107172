"""Value types of the config that plain `float`/`int` get wrong for a goal-setting file.

pydantic's lax mode reads `target: true` as 1.0 and YAML's `.nan`/`.inf` as numbers, and each
then produces a confident verdict about nothing. A `Number` is finite and never a boolean.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AllowInfNan, BeforeValidator


def _not_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {str(value).lower()}")
    return value


Number = Annotated[float, BeforeValidator(_not_bool), AllowInfNan(False)]
Count = Annotated[int, BeforeValidator(_not_bool)]


MAX_PATTERN_CHARS = 200  # a UTM code needs a short pattern; a long one is a mistake or an attack


def _dimension_pattern(value: object) -> object:
    """A regular expression that compiles, is short, and has at most one group (the value kept)."""
    import re

    if not isinstance(value, str):
        raise ValueError("expected a regular expression as a string")
    if len(value) > MAX_PATTERN_CHARS:
        raise ValueError(f"a pattern may be at most {MAX_PATTERN_CHARS} characters")
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    if compiled.groups > 1:
        raise ValueError("a pattern may have at most one group: the part of the value kept")
    return value


DimensionPattern = Annotated[str, BeforeValidator(_dimension_pattern)]
