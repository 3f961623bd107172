"""Building blocks shared by the config models and the rule settings that live beside each rule."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kpi_cli.config.types import Count

_DURATION = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$")


def _days(value: object) -> object:
    """`3d`, `2w` or a bare number of days; anything else is left for pydantic to reject."""
    if isinstance(value, str) and (match := _DURATION.match(value)):
        count, unit = int(match.group(1)), match.group(2)
        return count * 7 if unit == "w" else count
    return value


Days = Annotated[Count, BeforeValidator(_days), Field(ge=0)]


class Strict(BaseModel):
    """Unknown keys are errors (with a suggestion), never silently ignored settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleTable(Strict):
    """`defaults:`, `kpis[].rules` or `kgi.rules`: one optional field per rule accepted there.

    The concrete tables are derived from the rule registry (one per `Scope`); a rule whose
    settings would have no effect in a scope has no field there, so writing it is refused.
    """

    def settings(self, rule: str) -> BaseModel | None:
        value = getattr(self, rule, None)
        return value if isinstance(value, BaseModel) else None
