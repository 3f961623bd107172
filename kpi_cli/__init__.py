"""kpi: KGI/KPI campaign review for marketing teams."""

__version__ = "0.1.0"
