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
