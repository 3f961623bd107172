"""Numbers, percentages, money and dates for a language, through Babel (CLDR data)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.untrusted import one_line

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

# Babel is imported at the first number or date formatted, not with the catalog: every config load
# imports the catalog (for its error messages) before a check's scan can start, and formats nothing.

# English dates read day-first ("30 Nov 2026"), as the reviews always printed them: en_GB.
_DATE_LOCALE = {"en": "en_GB", "ja": "ja_JP"}
_DATE_FORMAT = {"en": "d MMM y", "ja": "y年M月d日"}
_LIST_SEPARATOR = {"en": ", ", "ja": "、"}
_NOT_AVAILABLE = {"en": "n/a", "ja": "—"}


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(lang)


@cache
def _pattern(pattern: str) -> NumberPattern:
    from babel.numbers import parse_pattern

    return parse_pattern(pattern)


def _apply(value: float, pattern: str, lang: str) -> str:
    """What babel's format_decimal/format_percent print, without parsing the locale and the
    pattern again for each of the ~100,000 numbers of a `--by` report."""
    shown: str = _pattern(pattern).apply(value, _locale(lang))
    return shown


def number(value: float | None, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _NOT_AVAILABLE[lang]
    if math.isinf(value):
        return "∞"
    if abs(value) >= 100 or float(value).is_integer():
        return _apply(round(value), "#,##0", lang)
    if abs(value) >= 1:
        return _apply(value, "#,##0.0", lang)
    return f"{value:.3g}"  # three significant digits: 0.043, 0.00123; the same in both languages


def percent(value: float | None, lang: str, digits: int = 0) -> str:
    if value is None or math.isnan(value) or math.isinf(value):
        return _NOT_AVAILABLE[lang]
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return _apply(value, pattern, lang)


def signed_percent(value: float | None, lang: str) -> str:
    if value is None or math.isnan(value) or math.isinf(value):
        return _NOT_AVAILABLE[lang]
    shown = percent(abs(value), lang)
    return ("+" if value >= 0 else "-") + shown


def rate(value: float | None, lang: str) -> str:
    if value is None or math.isnan(value) or math.isinf(value):
        return _NOT_AVAILABLE[lang]
    return percent(value, lang, 2 if abs(value) < 0.01 else 1)


def p_value(value: float | None, lang: str) -> str:
    if value is None or math.isnan(value):
        return _NOT_AVAILABLE[lang]
    return "p < 0.001" if value < 0.001 else f"p = {value:.3g}"


def day(value: date, lang: str) -> str:
    from babel.dates import format_date

    return format_date(value, _DATE_FORMAT[lang], locale=_DATE_LOCALE[lang])


def preload_locale(lang: str) -> None:
    """Babel reads a locale's CLDR data (a pickle per locale) at its first number or date."""
    number(1000, lang)
    day(date(2000, 1, 1), lang)


def quantity(q: Quantity, lang: str) -> str:
    if q.unit is Unit.RATE:
        return rate(q.value, lang) if q.digits is None else percent(q.value, lang, q.digits)
    if q.unit is Unit.PERCENT:
        return percent(q.value, lang, q.digits or 0)
    if q.unit is Unit.SIGNED:
        return signed_percent(q.value, lang)
    if q.unit is Unit.P_VALUE:
        return p_value(q.value, lang)
    return number(q.value, lang)


# A KPI's label and the periods are the same few strings in thousands of findings.
_one_line = lru_cache(maxsize=1 << 14)(one_line)


def format_value(value: Any, lang: StrEnum, spec: str, term: Callable[[str, Any], str]) -> str:
    """One template field. `spec` may name a unit for a bare number (`{elapsed:percent}`)."""
    if type(value) is str:  # names and periods first: most fields of a finding's wording
        return _one_line(value)
    code: str = lang._value_  # the member's value without `.value`'s descriptor (36,000 fields a report)
    if isinstance(value, Quantity):
        return quantity(value, code)
    if isinstance(value, Term):
        return term(value.key, lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) or (value is None and spec):
        return quantity(Quantity(value, Unit(spec) if spec else Unit.NUMBER), code)
    if isinstance(value, date):
        return day(value, code)
    if isinstance(value, list | tuple):
        return _LIST_SEPARATOR[code].join(format_value(v, lang, spec, term) for v in value)
    return one_line(str(value))  # names from the config or files: one clean line
