"""Many instances of one frozen dataclass at once, for the 40,000 views of a `--by` review.

A frozen dataclass's `__init__` sets each field through `object.__setattr__` (~1.2 us for the ten
fields of a Progress or a KpiView); the views of a KPI made at once (assess_parts) made two each,
~0.1 s of the benchmark's 40,000. `alike` makes the first through the constructor and fills each
other's `__dict__` from it: the same fields, values and order as `cls(...)` gives, in half the
time, the dict keys shared among instances as the constructor's are. Only for plain
frozen dataclasses: no `__post_init__`, no `__slots__`, no default factory left to run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

_UNSET = object()


def alike(cls: type[T], shared: Mapping[str, object], **columns: Sequence[object]) -> list[T]:
    """`[cls(**shared, **row) for row in rows]`, where the i-th row takes the i-th value of every
    column: `shared` fields are the same for all; any other field takes its default."""
    template = _template(cls)
    base = {**template, **shared}
    unknown = [name for name in [*shared, *columns] if name not in template]
    unset = [name for name, value in base.items() if value is _UNSET and name not in columns]
    if unknown or unset:
        raise TypeError(f"{cls.__name__}: unknown fields {unknown}, fields without a value {unset}")
    names = list(columns)
    rows = list(zip(*columns.values(), strict=True))
    if not rows:
        return []
    # The first through the constructor; each other starts from its fields. Filled key by key
    # into the dict the instance itself makes, its keys stay shared with the class's other
    # instances (PEP 412): ~250 bytes a KpiView, against ~530 with a dict of its own (+20 MB
    # over the benchmark's 40,000 views and their Progress).
    first = cls(**{**base, **dict(zip(names, rows[0], strict=True))})
    prototype, new, made = vars(first), object.__new__, [first]
    if len(names) == 1:  # one field varies (a Progress's actual): no zip per instance
        [name] = names
        for [value] in rows[1:]:
            one = new(cls)
            fields = vars(one)
            fields.update(prototype)
            fields[name] = value
            made.append(one)
        return made
    for row in rows[1:]:
        one = new(cls)
        fields = vars(one)
        fields.update(prototype)
        for name, value in zip(names, row, strict=True):
            fields[name] = value
        made.append(one)
    return made


_TEMPLATES: dict[type[Any], dict[str, object]] = {}


def _template(cls: type[Any]) -> dict[str, object]:
    """Every field in order with its default (`_UNSET` where it has none or only a factory)."""
    if cls not in _TEMPLATES:
        _TEMPLATES[cls] = _checked_template(cls)
    return _TEMPLATES[cls]


def _checked_template(cls: type[Any]) -> dict[str, object]:
    params = getattr(cls, "__dataclass_params__", None)
    if (
        params is None
        or not params.frozen
        or hasattr(cls, "__post_init__")
        or hasattr(cls, "__slots__")
        or not all(f.init for f in dataclasses.fields(cls))
    ):
        raise TypeError(f"{cls.__name__} is not a plain frozen dataclass")
    return {
        f.name: _UNSET if f.default is dataclasses.MISSING else f.default for f in dataclasses.fields(cls)
    }
