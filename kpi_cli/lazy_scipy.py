"""`scipy.stats`, imported on first use.

The rule registry imports every rule module when a config loads (each holds its settings model),
and the rules import the statistics. scipy.stats alone costs about 0.9 s, which `kpi validate` and
`kpi --help` have no use for; so modules write `from kpi_cli.lazy_scipy import stats` and the
import happens at the first `stats.<name>` a computation reaches.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


stats: Any = _LazyModule("scipy.stats")
