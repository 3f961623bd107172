"""Config: YAML -> validated models, validated once at load."""

from kpi_cli.config.loader import LoadedConfig, load_config
from kpi_cli.config.models import Config, KpiConfig

__all__ = ["Config", "KpiConfig", "LoadedConfig", "load_config"]

# Importing the registry resolves the config's rule tables (defaults:, kpis[].rules, kgi.rules),
# which are derived from the rules; the config models cannot import it themselves (a cycle).
import kpi_cli.rules.registry  # noqa: F401
