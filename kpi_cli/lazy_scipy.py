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

# scipy.special alone is ~0.15 s against scipy.stats' ~0.9 s: the distributions `kpi check` needs
# are computed from it (kpi_cli.stats.distributions), so a check without a Fisher test or a Wilson
# interval never imports scipy.stats.
special: Any = _LazyModule("scipy.special")
# scipy.stats' binomial and negative binomial call these boost-backed ufuncs of scipy.special
# (private names; the public `bdtr`/`betainc` differ in the last bits for small p):
# tests/stats/test_distributions.py fails if a scipy release moves them.
special_ufuncs: Any = _LazyModule("scipy.special._ufuncs")
