"""`jsonio.dumps` with an indent, in one pass: what `json.dumps(safe(value), ensure_ascii=False,
indent=N, allow_nan=False)` prints, byte for byte, about 4x faster.

With an indent the standard library cannot use its C encoder; its pure-Python generator encoder
and the `safe` pass before it walked the 1.4 million values of a `--by campaign` JSON report
(40,000 KPI views) in ~6 s of a 30 s run. This writes each value as `safe` would turn it and the
encoder would print it, straight into one list of strings; objects and arrays of plain values
(the KPI rows) go to the standard library's C encoder, a list of rows in one call (0.6 -> 0.3 s
of CPU on the benchmark's report). `tests/test_json_indent.py` checks it against the two-step path
on the golden reports and on generated values. A `Prewritten` value writes its own text: the
report's KPI rows come that way, written from the views (kpi_cli/render/kpi_rows.py).
"""

from __future__ import annotations

import json.encoder
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from itertools import chain
from typing import Any, cast

from kpi_cli.collector import collector_held
from kpi_cli.untrusted import clean

_STRING = json.encoder.encode_basestring  # the C version where built, as json.dumps uses
# The standard library's C encoder, for objects and arrays of plain values (most of a report):
# without an indent it runs in C, and its item separator can carry the indent of one level.
_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
# What `clean` would change, as it shows in the C encoder's text (ensure_ascii off): control
# characters escaped (\u00XX, \b, \f, \r; a tab or newline survives `clean` and prints as \t, \n),
# C1 controls, bidi marks and surrogates as they are. A match (a literal backslash before b, f, r
# or u00 matches too) sends the value down the general path, which cleans each string.
_CLEAN_CHANGES = re.compile(
    r"\\(?:u00|[bfr])|[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb\ud800-\udfff]"
)


# Keys and words repeat across the 40,000 views of a `--by` report: each is cleaned once.
_cleaned = lru_cache(maxsize=1 << 16)(clean)


@lru_cache(maxsize=1 << 16)
def string_text(value: str) -> str:
    """A string as `safe` cleans it and JSON quotes it."""
    return _STRING(clean(value))


def dumps_indented(value: Any, indent: int) -> str:
    out: list[str] = []
    with collector_held():  # a million strings, none in a cycle
        _write(value, out, "\n", " " * indent)
    return "".join(out)


@dataclass(frozen=True)
class Prewritten:
    """A value that writes its own JSON text, given the indent it is met at (`newline` holds the
    line break and the current indent, `step` one level more): a `--by` report's KPI rows
    (kpi_cli/render/kpi_rows.py), written straight from the views. Only this writer knows it."""

    write: Callable[[str, str], list[str]]  # the text in pieces, joined with the document


def written_at(value: Any, newline: str, step: str) -> str:
    """The text `value` gets in a document at the indent `newline` carries."""
    out: list[str] = []
    _write(value, out, newline, step)
    return "".join(out)


def value_text(value: Any, newline: str, step: str) -> str:
    """`written_at` with the common leaves first, as `_write` takes them (a str subclass, a
    StrEnum status, is cleaned and quoted as its text: `_write`'s `isinstance(value, str)` case)."""
    if isinstance(value, str):
        return string_text(value)
    if type(value) is float:
        return "null" if math.isnan(value) or math.isinf(value) else float.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return written_at(value, newline, step)


def _write(value: Any, out: list[str], newline: str, step: str) -> None:
    """One value at the indent `newline` carries, in `jsonio.safe`'s order of cases."""
    kind = type(value)
    if kind is str:
        out.append(string_text(value))
    elif kind is float:
        out.append("null" if math.isnan(value) or math.isinf(value) else float.__repr__(value))
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is Prewritten:
        out.extend(value.write(newline, step))
    elif kind is dict or (not isinstance(value, str) and isinstance(value, Mapping)):
        _object(value, out, newline, step)
    elif isinstance(value, str):
        out.append(_STRING(clean(value)))
    elif isinstance(value, list | tuple | set | frozenset):
        _array(value, out, newline, step)
    elif isinstance(value, Enum):
        _write(value.value, out, newline, step)
    elif isinstance(value, date):
        out.append(_STRING(value.isoformat()))
    else:
        _leaf(value, out)


def _key(key: object) -> str:
    return _cleaned(key) if type(key) is str else clean(str(key))


@lru_cache(maxsize=1 << 16)
def _clean_name(key: str) -> str | None:
    """`"key": ` for a key `clean` leaves as it is; None for one it changes."""
    return _STRING(key) + ": " if clean(key) == key else None


@lru_cache(maxsize=4096)
def _names(keys: tuple[Any, ...], kinds: tuple[type, ...]) -> list[str] | None:
    """Each key's `"key": `, for keys that are strings `clean` leaves as they are; else None.

    Kept per tuple of keys: a report's objects repeat a few key sets (each finding, its evidence,
    its params), and one look-up replaces a check per key (16,000 objects in a `--by` report).
    `kinds`, the keys' types, is part of the look-up: a str subclass equal to a str (a StrEnum) is
    written through `str()` as `safe` does, not as the str's name."""
    names = [_clean_name(key) if kind is str else None for key, kind in zip(keys, kinds, strict=True)]
    return None if None in names else cast(list[str], names)


def _object(value: Mapping[Any, Any], out: list[str], newline: str, step: str) -> None:
    """An object; its flat members (most of a report: 40,000 KPI rows) written without recursing."""
    keys = tuple(value)
    found = _names(keys, tuple(map(type, keys)))
    if found is not None and type(value) is dict and keys and _flat(value.values()):
        text = _in_c(value, newline + step)
        if text is not None:
            out.append("{" + newline + step + text[1:-1] + newline + "}")
            return
    if found is None:
        # Keys cleaned first, as `safe` builds its dict: two keys that clean alike keep one slot.
        items = {_key(k): v for k, v in value.items()}
        names, members = [_STRING(k) + ": " for k in items], list(items.values())
    else:
        names, members = found, list(value.values())
    if not members:
        out.append("{}")
        return
    inner = newline + step
    separator = "," + inner
    out.append("{")
    lead = inner
    for name, item in zip(names, members, strict=True):
        kind = type(item)
        if kind is str:
            out.append(lead + name + string_text(item))
        elif kind is float and not (math.isnan(item) or math.isinf(item)):
            out.append(lead + name + float.__repr__(item))
        elif item is None:
            out.append(lead + name + "null")
        else:
            out.append(lead + name)
            _write(item, out, inner, step)
        lead = separator
    out.append(newline + "}")


def _array(items: Any, out: list[str], newline: str, step: str) -> None:
    if not items:
        out.append("[]")
        return
    if type(items) is list:
        text = _rows_in_c(items, newline, step) if type(items[0]) is dict else None
        if text is None and _flat(items):
            text = _in_c(items, newline + step)
            text = None if text is None else "[" + newline + step + text[1:-1] + newline + "]"
        if text is not None:
            out.append(text)
            return
    inner = newline + step
    out.append("[")
    first = True
    for item in items:
        out.append(inner if first else "," + inner)
        first = False
        _write(item, out, inner, step)
    out.append(newline + "]")


def _leaf(value: Any, out: list[str]) -> None:
    """What `safe` leaves (numpy scalars as Python numbers) as the encoder prints it."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            out.append("null")
        else:
            out.append(float.__repr__(value))
    elif value is True or value is False or value is None:
        out.append({True: "true", False: "false", None: "null"}[value])
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, str):  # `safe` returns an item()'s text as it is
        out.append(_STRING(value))
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# --- objects and arrays of plain values, in C --------------------------------------------------
#
# A `--by campaign` report is 40,000 KPI rows of ~25 plain members each: written member by member
# above, ~15 us a row. A container holding no container is the C encoder's text with the indent
# carried by its item separator, once nothing in it is a value the general path treats otherwise:
# NaN and infinity (null there: the encoder, with allow_nan off, raises), a key not a string
# (`True` keys print "True" there, "true" here), anything not a plain number or string (dates,
# numpy scalars, enums but str ones: the encoder reads a str subclass's text, as `clean` does), and
# text `clean` would change (_CLEAN_CHANGES).

_PLAIN_TYPES = {str, float, int, bool, type(None)}  # and str subclasses met (StrEnum)
_NOT_PLAIN: set[type] = set()


def _flat(values: Any) -> bool:
    """Only plain values: what the C encoder writes as the general path writes it."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN_TYPES:
        return True
    for kind in kinds - _PLAIN_TYPES:
        if kind in _NOT_PLAIN or not issubclass(kind, str):
            _NOT_PLAIN.add(kind)
            return False
        _PLAIN_TYPES.add(kind)
    return True


@lru_cache(maxsize=64)
def _encoder_for(separator: str) -> Any:
    """A C encoder whose items are separated by `separator` (a comma and the next line's indent)."""
    assert _C_ENCODER is not None
    return _C_ENCODER(None, _not_plain, _STRING, None, ": ", separator, False, False, False)


def _not_plain(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _in_c(value: dict[Any, Any] | list[Any], inner: str) -> str | None:
    """The container's text with its members at `inner`, or None where the general path must write it."""
    if _C_ENCODER is None:
        return None
    try:
        text = "".join(_encoder_for("," + inner)(value, 0))
    except (ValueError, TypeError):  # NaN or infinity: null in a report
        return None
    # Most text is ASCII with no escape: no scan of the pattern needed (~5 us a row); DEL is ASCII.
    if text.isascii() and "\\" not in text and "\x7f" not in text:
        return text
    return None if _CLEAN_CHANGES.search(text) else text


def _rows_in_c(rows: list[Any], newline: str, step: str) -> str | None:
    """A list of non-empty objects of plain values (a `--by` report's 40,000 KPI rows) in one C call.

    The encoder writes every separator with the members' indent; a row ends where a `}` meets the
    separator (`}` ends no plain value, and a newline inside a string is escaped), so each such
    joint is rewritten with the rows' own indent.
    """
    if set(map(type, rows)) != {dict} or not min(map(len, rows)):
        return None
    if set(map(type, chain.from_iterable(rows))) != {str}:
        return None
    if not _flat(chain.from_iterable(map(dict.values, rows))):
        return None
    row, member = newline + step, newline + step + step
    text = _in_c(rows, member)
    if text is None:
        return None
    joints = text[2:-2].replace("}," + member + "{", row + "}," + row + "{" + member)
    return "[" + row + "{" + member + joints + row + "}" + newline + "]"
