"""The rule engine: small independent rules behind one interface (`spec.Rule`), listed once in
`registry.RULES`. This package file stays empty of imports so that a rule module can be imported
alone (the config models import none of them; the registry resolves the config's rule tables).
"""

from typing import Any


def __getattr__(name: str) -> Any:
    """`from kpi_cli.rules import RULES, run_rules` still works (benchmarks use it), loaded lazily."""
    if name in ("RULES", "run_rules"):
        from kpi_cli.rules import registry

        return getattr(registry, name)
    raise AttributeError(name)
