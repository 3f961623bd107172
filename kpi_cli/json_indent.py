"""`jsonio.dumps` with an indent, in one pass: what `json.dumps(safe(value), ensure_ascii=False,
indent=N, allow_nan=False)` prints, byte for byte, about 4x faster.

With an indent the standard library cannot use its C encoder; its pure-Python generator encoder
and the `safe` pass before it walked the 1.4 million values of a `--by campaign` JSON report
(40,000 KPI views) in ~6 s of a 30 s run. This writes each value as `safe` would turn it and the
encoder would print it, straight into one list of strings. `tests/test_json_indent.py` checks it
against the two-step path on the golden reports and on generated values.
"""

from __future__ import annotations

import json.encoder
import math
from collections.abc import Mapping
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import Any, cast

from kpi_cli.collector import collector_held
from kpi_cli.untrusted import clean

_STRING = json.encoder.encode_basestring  # the C version where built, as json.dumps uses


# Keys and words repeat across the 40,000 views of a `--by` report: each is cleaned once.
_cleaned = lru_cache(maxsize=1 << 16)(clean)


@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    """A string as `safe` cleans it and JSON quotes it."""
    return _STRING(clean(value))


def dumps_indented(value: Any, indent: int) -> str:
    out: list[str] = []
    with collector_held():  # a million strings, none in a cycle
        _write(value, out, "\n", " " * indent)
    return "".join(out)


def _write(value: Any, out: list[str], newline: str, step: str) -> None:
    """One value at the indent `newline` carries, in `jsonio.safe`'s order of cases."""
    kind = type(value)
    if kind is str:
        out.append(_text(value))
    elif kind is float:
        out.append("null" if math.isnan(value) or math.isinf(value) else float.__repr__(value))
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
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


def _object(value: Mapping[Any, Any], out: list[str], newline: str, step: str) -> None:
    """An object; its flat members (most of a report: 40,000 KPI rows) written without recursing."""
    found = [_clean_name(k) if type(k) is str else None for k in value]
    if None in found:
        # Keys cleaned first, as `safe` builds its dict: two keys that clean alike keep one slot.
        items = {_key(k): v for k, v in value.items()}
        names, members = [_STRING(k) + ": " for k in items], list(items.values())
    else:
        names, members = cast(list[str], found), list(value.values())
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
            out.append(lead + name + _text(item))
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
