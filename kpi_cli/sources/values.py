"""Vectorised reading of the numbers real exports write.

Exports write `"244,482"`, `¥1,200`, `1,234円`, `10.0`, `1.2K`, `1.5万`, `--`, ` --` and `-`. Every
reader here takes a Series of raw strings and returns float64 values plus a mask of the cells it
could not read, so that the caller can name the file line of the first one. A null token becomes
NaN ("not measured"), never 0.

Speed matters (100,000-row exports): the common case, plain numbers, goes through one
`pd.to_numeric`; only cells that fail it take the slower cleaning path, and that path is made of
whole-column string operations, never a Python loop over cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Written where a platform has no value: "not measured", never zero.
NULL_TOKENS = frozenset({"", "-", "--", "---", "—", "–", "n/a", "na", "null", "none", "nan", "(not set)"})
_CURRENCY = r"[¥￥$€£₩円\s\u00a0]"
_GROUPED = r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_ABBREVIATED = r"([-+]?\d+(?:\.\d+)?)([KkMmBb万億])"
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "万": 1e4, "億": 1e8}
_CENSORED = r"[<>≤≥]\s*.*"
_SAMPLE = 200


@dataclass(frozen=True)
class Parsed:
    """float64 values aligned with the input, and which input cells could not be read."""

    values: pd.Series
    bad: pd.Series

    def first_bad(self) -> int | None:
        """Position of the first unreadable cell, None when every cell was read."""
        flags = self.bad.to_numpy(dtype=bool)
        return int(flags.argmax()) if flags.any() else None


def is_null(raw: pd.Series) -> pd.Series:
    return raw.str.strip().str.casefold().isin(NULL_TOKENS)


def to_numbers(raw: pd.Series) -> Parsed:
    """Counts and money: plain, grouped (`244,482`), with a currency sign, or abbreviated (`1.2K`).

    A percent is not a count and is reported as unreadable: a rate must never be summed.
    """
    raw = raw.astype(object).fillna("")
    values = pd.Series(np.nan, index=raw.index, dtype="float64")
    todo = pd.Series(True, index=raw.index)
    if _plain_sample(raw):
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
        todo = values.isna() & raw.ne("")
    if bool(todo.any()):
        values[todo] = _cleaned_numbers(raw[todo])
    return Parsed(values, _unreadable(raw, values))


def _unreadable(raw: pd.Series, values: pd.Series) -> pd.Series:
    """Cells without a value that are not a null token (checked on the few NaN cells only)."""
    missing = values.isna()
    if bool(missing.any()):
        missing[missing] = ~is_null(raw[missing])
    return missing


def _plain_sample(raw: pd.Series) -> bool:
    """Whether the first cells are plain numbers, so that the fast path is worth trying first."""
    sample = raw.iloc[:_SAMPLE]
    sample = sample[sample.ne("")]
    return bool(pd.to_numeric(sample, errors="coerce").notna().all())


def _cleaned_numbers(raw: pd.Series) -> pd.Series:
    text = raw.str.replace(_CURRENCY, "", regex=True)
    grouped = text.str.fullmatch(_GROUPED)
    text = text.mask(grouped, text.str.replace(",", "", regex=False))
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    abbreviated = values.isna() & text.str.fullmatch(_ABBREVIATED)
    if bool(abbreviated.any()):
        values[abbreviated] = _abbreviated(text[abbreviated])
    return values


def _abbreviated(text: pd.Series) -> pd.Series:
    """`1.2K` → 1200, `3M`, `1.5万` (Japanese ten-thousands) → 15000."""
    parts = text.str.extract(_ABBREVIATED)
    scale = parts[1].str.casefold().map(_SCALE).astype("float64")
    return parts[0].astype("float64") * scale


def to_rates(raw: pd.Series) -> Parsed:
    """Rates as fractions: `12.91%` → 0.1291 next to a plain `0.2` → 0.2.

    A censored value such as `< 10%` is NaN: it is a bound, not a measurement.
    """
    raw = raw.astype(object).fillna("")
    text = raw.str.strip()
    percent = text.str.endswith("%")
    number = text.str.rstrip("%").str.strip()
    number = number.mask(number.str.fullmatch(_GROUPED), number.str.replace(",", "", regex=False))
    values = pd.to_numeric(number, errors="coerce").astype("float64")
    values = values.mask(percent, values / 100)
    unreadable = values.isna() & ~is_null(raw) & ~text.str.fullmatch(_CENSORED)
    return Parsed(values, unreadable)


def to_seconds(raw: pd.Series) -> Parsed:
    """Durations `H:MM:SS`, `M:SS` or plain seconds, as seconds."""
    raw = raw.astype(object).fillna("")
    text = raw.str.strip()
    clock = text.str.fullmatch(r"\d+(?::\d{1,2}){1,2}(?:\.\d+)?")
    parts = text.where(clock, "").str.split(":", expand=True)
    values = pd.to_numeric(text.mask(clock), errors="coerce").astype("float64")
    seconds = _clock_seconds(parts) if bool(clock.any()) else values
    values = values.mask(clock, seconds)
    return Parsed(values, _unreadable(raw, values))


def _clock_seconds(parts: pd.DataFrame) -> pd.Series:
    """Right-aligned `[H:]M:SS` pieces summed as seconds."""
    numbers = parts.apply(pd.to_numeric, errors="coerce").astype("float64")
    filled = numbers.notna().sum(axis=1)
    total = pd.Series(0.0, index=parts.index)
    for position in range(numbers.shape[1]):
        power = (filled - 1 - position).clip(lower=0)
        total += numbers[position].fillna(0) * (60.0**power)
    return total
