"""Config: YAML -> validated models, validated once at load."""

from kpi_cli.config.loader import LoadedConfig, load_config
from kpi_cli.config.models import Config, KpiConfig

__all__ = ["Config", "KpiConfig", "LoadedConfig", "load_config"]
