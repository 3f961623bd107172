"""Typed parameter values: what a number *is* decides how each language shows it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    NUMBER = "number"  # a count or a plain quantity: 1,234 / 12.5 / 0.043
    RATE = "rate"  # a share shown as a percentage with enough decimals (0.99% vs 1.0%)
    PERCENT = "percent"  # a share rounded to a whole percent (33% of the period elapsed)
    SIGNED = "signed"  # a relative change: +12% / -30%
    P_VALUE = "p_value"  # p < 0.001 / p = 0.042


@dataclass(frozen=True)
class Quantity:
    """A number with the unit it is shown in; JSON gets the bare value."""

    value: float | None
    unit: Unit = Unit.NUMBER
    digits: int | None = None  # fixed decimals for a percent, where the default would hide a move

    @classmethod
    def measure(cls, value: float | None, is_rate: bool) -> Quantity:
        """A KPI's value: rates (unsubscribe rate, CTR) as percentages, everything else as a number."""
        return cls(value, Unit.RATE if is_rate else Unit.NUMBER)


@dataclass(frozen=True)
class Term:
    """A word from the catalog itself (a status, a direction), translated like the message."""

    key: str
