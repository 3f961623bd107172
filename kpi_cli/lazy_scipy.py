"""scipy, imported on first use, and only the part a check computes with.

The rule registry imports every rule module when a config loads (each holds its settings model),
and the rules import the statistics. scipy.stats alone costs about 0.9 s, which `kpi validate` and
`kpi --help` have no use for; so modules write `from kpi_cli.lazy_scipy import stats` and the
import happens at the first `stats.<name>` a computation reaches.

`special` is the one module a check needs: scipy.special's compiled ufuncs (`scipy.special._ufuncs`),
which kpi_cli.stats.distributions evaluates as scipy.stats does. See `_load_special_ufuncs` for why
it is not loaded through `import scipy.special`.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

UFUNCS = "scipy.special._ufuncs"
PACKAGE = "scipy.special"


class _LazyModule:
    def __init__(self, load: Callable[[], types.ModuleType]) -> None:
        self._load = load
        self._module: types.ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = self._load()
        return getattr(self._module, attribute)


def _load_special_ufuncs() -> types.ModuleType:
    """`scipy.special._ufuncs` without running `scipy/special/__init__.py` when it can.

    That `__init__` costs ~0.17 s of a check's ~0.19 s for scipy.special (scipy 1.17, after pandas):
    it imports the array-API layer (`_support_alternative_backends`), whose numpy namespace clone
    does `from numpy import *`, which imports numpy.f2py (with charset_normalizer) and numpy.testing.
    The ufuncs themselves need none of it: loaded under a bare stand-in package (a module with
    only `__path__`), the extension's own imports of its sibling extensions (`_ufuncs_cxx`,
    `_special_ufuncs`, ...) resolve from the real folder and the cost is ~0.02 s. The stand-in is
    removed at once; a later `import scipy.special` (scipy.stats for a Fisher test) runs the real
    `__init__`, which finds this same `_ufuncs` module in sys.modules and uses it, so every
    function is the one object either way. With SCIPY_ARRAY_API unset, scipy.special's public
    `ndtr`, `stdtr`, `betainc`... are these ufuncs themselves (tests/stats/test_distributions.py
    pins both that and every float against scipy.stats, and fails if a scipy release moves them).

    Private layout, so any failure falls back to the ordinary import: slower, never wrong.
    """
    if PACKAGE in sys.modules or UFUNCS in sys.modules:
        return importlib.import_module(UFUNCS)
    import scipy

    stand_in = types.ModuleType(PACKAGE)
    stand_in.__path__ = [str(Path(scipy.__file__).parent / "special")]
    sys.modules[PACKAGE] = stand_in
    try:
        return importlib.import_module(UFUNCS)
    except Exception:  # a scipy whose _ufuncs needs its package __init__: the ordinary way below
        pass
    finally:
        if sys.modules.get(PACKAGE) is stand_in:
            del sys.modules[PACKAGE]
    # Sibling extensions already loaded are the real files' modules: the real __init__ adopts them.
    return importlib.import_module(UFUNCS)


stats: Any = _LazyModule(lambda: importlib.import_module("scipy.stats"))

# The distributions `kpi check` needs are computed from these ufuncs (kpi_cli.stats.distributions):
# a check without a Fisher test never imports scipy.stats. Besides the public ones (`stdtr`,
# `ndtri`, `pdtr`, `betainc`...), scipy.stats' binomial and negative binomial call private ones
# (`_binom_cdf`, `_nbinom_sf`; the public `bdtr`/`betainc` differ in the last bits for small p).
special: Any = _LazyModule(_load_special_ufuncs)
