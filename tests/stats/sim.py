"""Simulated KPI series shared by the statistics tests (fixed seeds, small numbers of runs)."""

from __future__ import annotations

import numpy as np


def monthly_counts(
    rng: np.random.Generator, mean: float, months: int, cv: float = 0.15, growth: float = 0.0
) -> np.ndarray:
    """Poisson counts whose monthly level varies by a gamma factor with coefficient of variation cv."""
    level = mean * (1 + growth) ** np.arange(months)
    noise = rng.gamma(1 / cv**2, cv**2, months) if cv > 0 else np.ones(months)
    return rng.poisson(level * noise).astype(float)
