"""Numbers as people read them in messages (1,234 / 12.5% / 0.043), and the one safe division.
No rich, no I/O."""

from __future__ import annotations

import math


def number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if math.isinf(value):
        return "∞"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def percent(value: float | None, digits: int = 0) -> str:
    if value is None or math.isnan(value) or math.isinf(value):
        return "n/a"
    return f"{value * 100:.{digits}f}%"


def signed_percent(value: float | None) -> str:
    if value is None or math.isnan(value) or math.isinf(value):
        return "n/a"
    return f"{value * 100:+.0f}%"


def rate(value: float | None) -> str:
    """A share as a percentage with enough decimals to tell 0.99 % from 1 %."""
    if value is None or math.isnan(value) or math.isinf(value):
        return "n/a"
    digits = 2 if abs(value) < 0.01 else 1
    return f"{value * 100:.{digits}f}%"


def measure(value: float | None, is_rate: bool) -> str:
    """A KPI's value: rates (unsubscribe rate, CTR) as percentages, everything else as a number."""
    return rate(value) if is_rate else number(value)


def p_value(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3g}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None where that is undefined (nothing measured, or a zero base)."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator
