"""`jsonio.dumps` prints, byte for byte, what the standard library's two steps print.

The reference is `json.dumps(safe(value), ensure_ascii=False, indent=2, allow_nan=False)`: the
standard library's own encoder over `safe`'s plain values. The one-pass writer
(kpi_cli/json_indent.py) must agree on every kind of value a report holds (nested containers, the
empty ones, keys that clean to the same text, enums, dates, numpy scalars, NaN, control and bidi
characters) and on the golden JSON reports.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum, IntEnum, StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.jsonio import dumps, safe

GOLDEN = Path(__file__).parent / "golden"


def reference(value: Any, indent: int = 2) -> str:
    return json.dumps(safe(value), ensure_ascii=False, indent=indent, allow_nan=False)


class Colour(Enum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


class Word(StrEnum):
    WARN = "warn"


def test_the_awkward_values_print_as_the_standard_library_prints_them() -> None:
    value = {
        "text": 'a\u202eb\x1bc\r\nd"e\\',  # a bidi override, ESC and CR LF cleaned; quote and backslash escaped
        "keys": {"a\x00": 1, "a": 2, 3: "three", None: "none", True: "yes"},  # "a\x00" cleans to "a"
        "floats": [0.1, 1e-05, 1e16, -0.0, float("nan"), float("inf"), 2.5],
        "ints": [0, -7, 10**20, True, False, None],
        "numpy": [np.float64(0.25), np.int64(4), np.float32(np.nan), np.bool_(True)],
        "enums": [Colour.RED, Level.HIGH, Word.WARN],
        "dates": [date(2026, 11, 27), datetime(2026, 11, 27, 1, 2, 3)],
        "empty": [{}, [], (), set()],
        "tuple": (1, ("x", [])),
        "set": {"only"},
        "日本語": "コンバージョン",
        "surrogate": "x\ud800y",
    }
    assert dumps(value) == reference(value)
    assert dumps(value, indent=4) == reference(value, indent=4)


def test_what_json_cannot_print_fails_as_it_does() -> None:
    with pytest.raises(TypeError):
        dumps({"x": object()})
    with pytest.raises(TypeError):
        reference({"x": object()})


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.dates(),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_generated_values_print_the_same(value: Any) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("**/*.json")), ids=lambda p: p.name)
def test_golden_reports_print_the_same(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert dumps(document) == reference(document)


# Flat objects (every member a scalar: the 40,000 KPI rows of a `--by` report) with each text below,
# one `clean` changes or one JSON escapes: printed as `safe` and the standard library print them.
AWKWARD_TEXTS = [
    "plain",
    "コンバージョン",
    "tab\there",
    "new\nline",
    "cr\rlf\r\n",
    "nul\x00 esc\x1b bs\x08 ff\x0c us\x1f",
    "del\x7f c1\x85\x9f",
    "bidi \u202e\u2066\u061c\u200e\u200f\ufff9",
    "lone \ud800 surrogate",
    'quote " backslash \\ ',
    "backslash-r \\r and \\u0010 as text",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_flat_objects_print_as_the_standard_library_prints_them(text: str) -> None:
    row = {"id": text, "n": 3, "x": 0.1, "none": None, "yes": True, "big": 1e16, "neg": -0.0}
    for value in (
        row,
        [row, {**row, "x": float("nan")}, {**row, text: 1}],  # a NaN, an awkward key
        {"kpis": [row, row], "nested": {"row": row}},
        {**row, "inner": row},  # an object inside a flat one
    ):
        assert dumps(value) == reference(value)
        assert dumps(value, indent=4) == reference(value, indent=4)


flat_rows = st.dictionaries(
    st.text(max_size=6),
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(flat_rows, max_size=4))
def test_generated_flat_objects_print_the_same(rows: list[dict[str, Any]]) -> None:
    assert dumps({"kpis": rows}) == reference({"kpis": rows})


# Lists of objects go to the C encoder whole (kpi_cli/json_indent.py `_rows_in_c`), each joint of
# rows rewritten: texts that look like a joint, rows that must take the general path instead.
JOINT_TEXTS = ["},\n      {", '"},\n    {', "}, {", "}\n]", "{}", "[1]"]


@pytest.mark.parametrize("text", JOINT_TEXTS)
def test_rows_whose_text_looks_like_a_joint_print_the_same(text: str) -> None:
    rows = [{"id": text, "n": 1}, {text: text, "m": None}, {"last": text}]
    assert dumps({"kpis": rows}) == reference({"kpis": rows})
    assert dumps(rows, indent=4) == reference(rows, indent=4)


@pytest.mark.parametrize(
    "rows",
    [
        [{"a": 1}, {}],  # an empty row: `{}` has no joint to rewrite
        [{"a": 1}, {"b": [1]}],  # a member that is a container
        [{"a": 1}, {True: 1, None: 2}],  # keys that are no strings ("True" here, "true" in C)
        [{"a": Word.WARN, Word.WARN: "x"}],  # str enums as values and keys
        [{"a": Level.HIGH}, {"b": np.float64(0.5)}, {"c": date(2026, 1, 2)}],  # not plain
        [{"a": 1}, 2, "three"],  # not all objects
        [{"a": float("inf")}, {"b": 1}],
        [{"a": "x\u202ey"}, {"b": "日本語"}],  # one text clean changes, one it keeps
    ],
)
def test_rows_the_c_encoder_cannot_write_alone_print_the_same(rows: list[Any]) -> None:
    assert dumps({"kpis": rows}) == reference({"kpis": rows})


def test_plain_rows_are_written_by_the_c_encoder_in_one_call() -> None:
    from kpi_cli import json_indent

    rows = [{"id": "a", "x": 0.5, "ok": True}, {"id": "日本語", "x": None, "ok": False}]
    assert json_indent._rows_in_c(rows, "\n  ", "  ") == reference(rows).replace("\n", "\n  ")
    assert json_indent._rows_in_c([{"x": float("nan")}], "\n", "  ") is None


class Renamed(str):
    """A str subclass whose str() differs from its text: `safe` keys it by str()."""

    def __str__(self) -> str:
        return "renamed"


def test_a_key_equal_to_a_plain_key_but_of_another_type_is_written_as_safe_writes_it() -> None:
    """The writer keeps key names per set of keys; equal keys of another type must not share them."""
    for value in ({"a": 1, "b": "x"}, {Renamed("a"): 1, "b": "x"}, {Word.WARN: 1}, {"warn": 2}):
        assert dumps(value) == reference(value)
        assert dumps([value, value]) == reference([value, value])
