"""`kpi compare`: accounts, channels, segments, campaigns and influencers side by side."""

from kpi_cli.compare.engagement import Basis, MixedDefinitions
from kpi_cli.compare.intervals import Estimate
from kpi_cli.compare.table import Comparison, Figure, Group, compare, rank

__all__ = ["Basis", "Comparison", "Estimate", "Figure", "Group", "MixedDefinitions", "compare", "rank"]
