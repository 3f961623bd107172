"""Building blocks shared by the config models and the rule settings that live beside each rule."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from kpi_cli.config.types import Count

_DURATION = re.compile(r"^\s*(\d+)\s*([dwm]?)\s*$")
# A month is 31 days: the longest, so that `max_age: 1m` never calls a monthly download stale
# before the next month's download is due.
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 31}


def _days(value: object) -> object:
    """`3d`, `2w`, `1m` or a bare number of days; anything else is left for pydantic to reject."""
    if isinstance(value, str) and (match := _DURATION.match(value)):
        return int(match.group(1)) * _UNIT_DAYS[match.group(2)]
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
