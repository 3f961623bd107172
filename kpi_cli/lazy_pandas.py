"""pandas and numpy, imported at the first attribute a computation reaches (issue 12).

Loading a config imports every rule module (each holds its settings model) and, through them, the
computation modules; reading a source imports the readers. All of them used pandas and numpy at
module level, so `kpi validate` paid pandas' ~0.35 s before it read its YAML, and a check could not
start DuckDB's scan of a large export until pandas had been imported (sources/prefetch.py starts
the scan first and imports the rest while it runs). Modules therefore write
`from kpi_cli.lazy_pandas import np, pd` where they wrote `import numpy as np` / `import pandas as
pd`; every line below that is unchanged, and the import happens at the first `pd.<name>`.

The stand-in is a module object: once loaded, the real module's namespace is copied into it, so a
later `pd.Series` is an ordinary attribute hit (no Python call per access); a name the real module
sets afterwards (pandas creates some lazily) is still found through `__getattr__`. For mypy the
names are the real modules (TYPE_CHECKING below), so annotations and checks are unchanged.
`"pandas" in sys.modules` stays a true test of whether pandas was imported.
"""

from __future__ import annotations

import importlib
import threading
import types
from typing import TYPE_CHECKING, Any

__all__ = ["np", "pd"]


class _Deferred(types.ModuleType):
    """A module that imports `target` at the first attribute asked of it."""

    def __init__(self, target: str) -> None:
        super().__init__(f"kpi_cli.lazy_pandas:{target}")
        self._target = target
        # The read thread (sources/prefetch.py) and the main thread may ask at once: one copies.
        self._copy = threading.Lock()
        self._loaded = False

    def __getattr__(self, attribute: str) -> Any:
        # Only names absent from this module's own namespace reach here.
        real = importlib.import_module(self._target)
        if not self._loaded:
            with self._copy:
                if not self._loaded:
                    own = {"_target", "_copy", "_loaded"}
                    self.__dict__.update({k: v for k, v in real.__dict__.items() if k not in own})
                    self._loaded = True
        return getattr(real, attribute)


if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    np = _Deferred("numpy")
    pd = _Deferred("pandas")
