"""Vectorised reading of the numbers real exports write.

Exports write `"244,482"`, `¥1,200`, `1,234円`, `10.0`, `1.2K`, `1.5万`, `--`, ` --` and `-`. Every
reader here takes a Series of raw strings and returns float64 values plus a mask of the cells it
could not read, so that the caller can name the file line of the first one. A null token becomes
NaN ("not measured"), never 0.

Speed matters (100,000-row exports). pandas' `.str` methods on object columns call Python once
per cell, so the common case (plain and comma-grouped numbers) is decided with numpy's C string
ufuncs on a `StringDType` array; only the cells left over (nulls, currency signs, `1.2K`) take the
slower `.str` path, and that path runs on those cells only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from kpi_cli.lazy_pandas import np, pd

# numpy's StringDType() by its character code: naming it imports no numpy (kpi_cli.lazy_pandas).
# A dtype compares unequal to it: compare with `np.dtype(TEXT)`.
TEXT = "T"
# Written where a platform has no value: "not measured", never zero.
NULL_TOKENS = frozenset({"", "-", "--", "---", "—", "–", "n/a", "na", "null", "none", "nan", "(not set)"})


def spelled(words: frozenset[str] | list[str]) -> tuple[str, ...]:
    """The words as written in lower, upper and title case: an exact lookup beats lowering a column."""
    variants = {v for w in words for v in (w, w.upper(), w.title(), w.capitalize())}
    return tuple(sorted(variants | {"NaN"}))


def spellings(words: frozenset[str] | list[str]) -> np.ndarray:
    """`spelled(words)` as a numpy string array, for `np.isin` on a column."""
    return np.array(spelled(words), dtype=TEXT)


# The null tokens exactly as matched after stripping (the columnar path's SQL uses the same list).
NULL_SPELLINGS = spelled(NULL_TOKENS)


@cache
def _nulls() -> np.ndarray:
    return spellings(NULL_TOKENS)


_LONGEST_NULL = max(map(len, NULL_TOKENS))
_CURRENCY = r"[¥￥$€£₩円\s\u00a0]"
_GROUPED = r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_ABBREVIATED = r"([-+]?\d+(?:\.\d+)?)([KkMmBb万億])"
_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "万": 1e4, "億": 1e8}
_CENSORED = r"[<>≤≥]\s*.*"
_TEXT_BLOCK = 1 << 17  # rows turned into Python strings at a time by as_text


@dataclass(frozen=True)
class Parsed:
    """Values aligned with the input, and which input cells could not be read."""

    values: pd.Series
    bad: pd.Series

    def first_bad(self) -> int | None:
        """Position of the first unreadable cell, None when every cell was read."""
        flags = self.bad.to_numpy(dtype=bool)
        return int(flags.argmax()) if flags.any() else None


def as_text(raw: pd.Series) -> np.ndarray:
    """The cells as a stripped numpy StringDType array (missing cells are empty strings).

    Converted in blocks of rows: the whole column as one Python object per cell on the way cost
    about 60 bytes a row, 160 MB a column on a 200 MB export (issue 7's memory bound).
    """
    # A missing cell (NaN from a workbook) becomes "nan", which is a null token like the empty string.
    if len(raw) <= _TEXT_BLOCK:
        return np.strings.strip(raw.to_numpy(dtype=object).astype(TEXT))
    text = np.empty(len(raw), dtype=TEXT)
    for start in range(0, len(raw), _TEXT_BLOCK):
        block = raw.iloc[start : start + _TEXT_BLOCK]
        text[start : start + len(block)] = np.strings.strip(block.to_numpy(dtype=object).astype(TEXT))
    return text


def null_cells(text: np.ndarray) -> np.ndarray:
    """Which stripped cells are empty or a null token (`--`, `N/A`...).

    Only short cells can be a token, and numpy's `isin` on strings sorts, so it runs on those only.
    """
    short = np.strings.str_len(text) <= _LONGEST_NULL
    nulls = np.zeros(len(text), dtype=bool)
    nulls[short] = np.isin(text[short], _nulls())
    return nulls


def is_null(raw: pd.Series) -> pd.Series:
    return pd.Series(null_cells(as_text(raw)), index=raw.index)


def to_numbers(raw: pd.Series) -> Parsed:
    """Counts and money: plain, grouped (`244,482`), with a currency sign, or abbreviated (`1.2K`).

    A percent is not a count and is reported as unreadable: a rate must never be summed.
    """
    values, bad = numbers_from_text(as_text(raw))
    return Parsed(pd.Series(values, index=raw.index), pd.Series(bad, index=raw.index))


def numbers_from_text(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`to_numbers` on stripped text: float64 values and the unreadable cells.

    A number past the float range (`1e400`, a 400-digit count) is ±inf among the values and flagged
    unreadable, so that the caller can say it overflows; it used to pass as inf and crash a rule.
    """
    values = _all_plain(text)
    if values is None:
        values = _all_grouped(text)
    if values is not None:
        return values, _unreadable(text, values) | np.isinf(values)
    values = np.full(len(text), np.nan)
    plain = _plain_numbers(text)
    values[plain] = _floats(np.strings.replace(text[plain], ",", ""))
    rest = ~plain
    rest[rest] = ~null_cells(text[rest])
    if rest.any():
        values[rest] = _cleaned_numbers(pd.Series(text[rest].astype(object), dtype=object)).to_numpy()
    return values, _unreadable(text, values) | np.isinf(values)


def _all_plain(text: np.ndarray) -> np.ndarray | None:
    """The whole column in one C cast when every cell is a plain number (the common case)."""
    try:
        values = text.astype(np.float64)
    except ValueError:
        return None
    if _underscored(text):
        return None
    return values if np.isfinite(values[~np.isnan(values)]).all() else None


def _underscored(text: np.ndarray) -> bool:
    """numpy's cast reads `1_000` as Python's `float` does; the cell-by-cell path refuses it.

    No export writes a Python digit separator, so such a cell is unreadable, and the fast casts
    hand the column to the cell-by-cell path: a cell must be read the same whatever the other
    cells of its column are, or a file read in blocks (streamed.py) could accept a cell its whole
    read refuses (`1_000` next to a `--` cell was refused, next to plain numbers read as 1000).
    """
    return bool((np.strings.find(text, "_") >= 0).any())


def _all_grouped(text: np.ndarray) -> np.ndarray | None:
    """The whole column in one cast once commas are dropped, if every comma groups thousands."""
    try:
        values = np.strings.replace(text, ",", "").astype(np.float64)
    except ValueError:
        return None
    if _underscored(text):
        return None
    with_commas = np.strings.count(text, ",") > 0
    integer = np.strings.partition(text[with_commas], np.array(".", dtype=TEXT))[0]
    if not _grouped_by_threes(np.strings.lstrip(integer, "+-")).all():
        return None
    return values if np.isfinite(values[~np.isnan(values)]).all() else None


def _plain_numbers(text: np.ndarray) -> np.ndarray:
    """`12`, `-3`, `10.0`, `.5`, `244,482`: an optional sign, digits grouped by threes, decimals."""
    unsigned = np.strings.lstrip(text, "+-")
    signs = np.strings.str_len(text) - np.strings.str_len(unsigned)
    integer, _, fraction = np.strings.partition(unsigned, np.array(".", dtype=TEXT))
    digits = np.strings.replace(integer, ",", "")
    decimal = np.strings.isdecimal(digits) | (digits == "")
    fractional = np.strings.isdecimal(fraction) | (fraction == "")
    something = (digits != "") | (fraction != "")
    plain = (signs <= 1) & decimal & fractional & something & _grouped_by_threes(integer)
    return np.asarray(plain, dtype=bool)


def _grouped_by_threes(integer: np.ndarray) -> np.ndarray:
    """Commas only where thousands separators go, so that `1,5` is never read as 15.

    The loop runs over the number of commas (a handful), never over cells.
    """
    commas = np.strings.count(integer, ",")
    if not commas.any():
        return np.ones(len(integer), dtype=bool)
    length = np.strings.str_len(integer)
    lead = length - 4 * commas
    ok = (commas == 0) | ((lead >= 1) & (lead <= 3))
    position = np.full(len(integer), -1)
    for k in range(int(commas.max())):
        has = commas > k
        position = np.where(has, np.strings.find(integer, ",", position + 1), position)
        ok &= ~has | (position == length - 4 * (commas - k))
    return np.asarray(ok, dtype=bool)


def _floats(text: np.ndarray) -> np.ndarray:
    try:
        return text.astype(np.float64)
    except ValueError:  # a digit numpy's parser does not know: let pandas decide, cell by cell
        return pd.to_numeric(pd.Series(text.astype(object)), errors="coerce").to_numpy(dtype=np.float64)


def _cleaned_numbers(raw: pd.Series) -> pd.Series:
    """The slow path, for the few cells with a currency sign, an abbreviation or a null token."""
    text = raw.str.replace(_CURRENCY, "", regex=True)
    grouped = text.str.fullmatch(_GROUPED)
    text = text.mask(grouped, text.str.replace(",", "", regex=False))
    values = pd.to_numeric(text, errors="coerce").astype("float64")
    missing = values.isna()
    if bool(missing.any()):
        abbreviated = text[missing].str.fullmatch(_ABBREVIATED)
        if bool(abbreviated.any()):
            values[abbreviated[abbreviated].index] = _abbreviated(text[abbreviated[abbreviated].index])
    return values


def _abbreviated(text: pd.Series) -> pd.Series:
    """`1.2K` → 1200, `3M`, `1.5万` (Japanese ten-thousands) → 15000."""
    parts = text.str.extract(_ABBREVIATED)
    scale = parts[1].str.casefold().map(_SCALE).astype("float64")
    return parts[0].astype("float64") * scale


def _unreadable(text: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Cells without a value that are not a null token (checked on the NaN cells only)."""
    missing = np.isnan(values)
    if missing.any():
        missing[missing] = ~null_cells(text[missing])
    return np.asarray(missing, dtype=bool)


def to_rates(raw: pd.Series) -> Parsed:
    """Rates as fractions: `12.91%` → 0.1291 next to a plain `0.2` → 0.2.

    A censored value such as `< 10%` is NaN: it is a bound, not a measurement.
    """
    text = pd.Series(as_text(raw).astype(object), index=raw.index, dtype=object)
    percent = text.str.endswith("%")
    number = text.str.rstrip("%").str.strip()
    number = number.mask(number.str.fullmatch(_GROUPED), number.str.replace(",", "", regex=False))
    values = pd.to_numeric(number, errors="coerce").astype("float64")
    values = values.mask(percent, values / 100)
    unreadable = values.isna() & ~is_null(raw) & ~text.str.fullmatch(_CENSORED)
    return Parsed(values, unreadable)


def to_seconds(raw: pd.Series) -> Parsed:
    """Durations `H:MM:SS`, `M:SS` or plain seconds, as seconds."""
    text = pd.Series(as_text(raw).astype(object), index=raw.index, dtype=object)
    clock = text.str.fullmatch(r"\d+(?::\d{1,2}){1,2}(?:\.\d+)?")
    values = pd.to_numeric(text.mask(clock), errors="coerce").astype("float64")
    if bool(clock.any()):
        values = values.mask(clock, _clock_seconds(text.where(clock, "").str.split(":", expand=True)))
    unreadable = pd.Series(_unreadable(as_text(raw), values.to_numpy()), index=raw.index)
    return Parsed(values, unreadable)


def _clock_seconds(parts: pd.DataFrame) -> pd.Series:
    """Right-aligned `[H:]M:SS` pieces summed as seconds (a loop over the 2-3 pieces)."""
    numbers = parts.apply(pd.to_numeric, errors="coerce").astype("float64")
    filled = numbers.notna().sum(axis=1)
    total = pd.Series(0.0, index=parts.index)
    for position in range(numbers.shape[1]):
        power = (filled - 1 - position).clip(lower=0)
        total += numbers[position].fillna(0) * (60.0**power)
    return total
