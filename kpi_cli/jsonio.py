"""The one JSON serializer every output uses: no bare NaN or Infinity, numpy scalars as numbers.

JSON has no NaN: a number that does not exist (no data, division by zero) is `null`. `allow_nan`
is off, so anything `safe` missed fails loudly in tests instead of printing invalid JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

from kpi_cli.untrusted import clean

_AS_THEY_ARE = (int, bool, type(None))


def safe(value: Any) -> Any:
    """Plain JSON values: NaN and infinity become null, numpy scalars numbers, enums their value.

    Every string is `clean`ed: JSON escapes control characters but prints bidi overrides as they
    are, and a JSON report is read in terminals too, so no output may carry them.
    """
    kind = type(value)
    if kind is str:
        return clean(value)
    if kind is float:
        return None if math.isnan(value) or math.isinf(value) else value
    if kind in _AS_THEY_ARE:  # the common leaves first: a --by report has a million of them
        return value
    if kind is dict:
        return {clean(str(k)): safe(v) for k, v in value.items()}
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {clean(str(k)): safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [safe(v) for v in value]
    if isinstance(value, Enum):
        return safe(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    if indent is not None:  # the same text in one pass (kpi_cli/json_indent.py: 4x faster)
        from kpi_cli.json_indent import dumps_indented

        return dumps_indented(value, indent)
    return json.dumps(safe(value), ensure_ascii=False, indent=indent, allow_nan=False)
