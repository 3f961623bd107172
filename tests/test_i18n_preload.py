"""`catalog.preload` loads what a check's first findings would load after the scan (phase 8): every
language's catalog and Babel's locale data, so the wording rendered after it reads neither a YAML
file nor a locale pickle."""

from __future__ import annotations

import json

from tests.test_lazy_imports import python_c

_PROBE = """
import json, sys
from datetime import date
import babel.localedata, yaml
from kpi_cli.i18n import Lang, Wording, render
from kpi_cli.i18n.catalog import preload

loads = []
real_load, real_yaml = babel.localedata.load, yaml.load
def counted_load(name, *args, **kwargs):
    loads.append(name)
    return real_load(name, *args, **kwargs)
def counted_yaml(*args, **kwargs):
    loads.append("yaml")
    return real_yaml(*args, **kwargs)
babel.localedata.load, yaml.load = counted_load, counted_yaml
if sys.argv[1] == "preload":
    preload()
before = list(loads)
# A plural, a grouped number and a date, in both languages (the run history stores both).
words = [
    Wording("stalled.too_few_periods", {"label": "leads", "have": 1234, "needed": 3}),
    Wording("checkin.recorded", {"kpi": "leads", "confidence": "on_track", "day": date(2026, 11, 3), "path": "h"}),
]
shown = [render(w, lang) for w in words for lang in Lang]
print(json.dumps({"before": before, "after": loads[len(before):], "shown": shown}))
"""


def _run(mode: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = json.loads(python_c(_PROBE, mode).stdout)
    return found


def test_after_preload_rendering_loads_no_catalog_and_no_locale_data() -> None:
    preloaded, cold = _run("preload"), _run("cold")
    assert preloaded["after"] == []
    assert "yaml" in preloaded["before"] and {"en", "ja"} <= set(preloaded["before"])
    # The probe sees loads: without the preload the same rendering reads them.
    assert "yaml" in cold["after"] and {"en", "ja"} <= set(cold["after"])
    assert preloaded["shown"] == cold["shown"]
    assert any("1,234" in text for text in cold["shown"])  # the grouped number, rendered by Babel
