"""Derived metrics (`cpa: cost / customers`): parsed once, evaluated on period sums.

Evaluating the formula on sums, never averaging per-row ratios, is what makes a monthly CPA the
cost of the month over the customers of the month.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpi_cli.errors import ConfigError
from kpi_cli.sources.canonical import METRICS, MONEY

_OPS: dict[type[ast.operator], Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class FormulaError(ConfigError):
    """A derived metric that cannot be computed; `metric` names it so the loader can place it."""

    def __init__(self, metric: str, problem: str) -> None:
        super().__init__(f"metric '{metric}': {problem}")
        self.metric = metric
        self.problem = problem


@dataclass(frozen=True)
class Formula:
    text: str
    tree: ast.expr
    names: frozenset[str]

    @property
    def additive(self) -> bool:
        """Only sums and differences of flows are flows themselves (and may be pro-rated)."""
        return all(
            isinstance(n.op, ast.Add | ast.Sub) for n in ast.walk(self.tree) if isinstance(n, ast.BinOp)
        )


def parse_formula(name: str, text: str) -> Formula:
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise FormulaError(name, f"cannot read formula '{text}'") from None
    for node in ast.walk(tree):
        if not isinstance(
            node,
            ast.BinOp | ast.Name | ast.Constant | ast.UnaryOp | ast.operator | ast.unaryop | ast.expr_context,
        ):
            raise FormulaError(name, f"only + - * / of metrics and numbers allowed in '{text}'")
        if isinstance(node, ast.BinOp) and type(node.op) not in _OPS:
            raise FormulaError(name, f"only + - * / of metrics and numbers allowed in '{text}'")
    names = frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))
    return Formula(text=text, tree=tree, names=names)


def evaluate(formula: Formula, values: Mapping[str, pd.Series]) -> pd.Series:
    """Division by zero gives NaN (no customers: CPA is undefined, not infinite)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        result = _eval(formula.tree, values)
    series = result if isinstance(result, pd.Series) else pd.Series(result, index=_any_index(values))
    return series.astype(float).replace([np.inf, -np.inf], np.nan)


def _eval(node: ast.expr, values: Mapping[str, pd.Series]) -> object:
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.Constant):
        return float(node.value)  # type: ignore[arg-type]  # parse_formula admits only numbers
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else operand  # type: ignore[operator]
    assert isinstance(node, ast.BinOp)
    return _OPS[type(node.op)](_eval(node.left, values), _eval(node.right, values))


def _any_index(values: Mapping[str, pd.Series]) -> pd.Index:
    return next(iter(values.values())).index if values else pd.RangeIndex(1)


class Catalog:
    """Every metric name the config may use: canonical columns plus the config's formulas."""

    def __init__(self, derived: Mapping[str, str]) -> None:
        self.formulas = {name: parse_formula(name, text) for name, text in derived.items()}
        for name in self.formulas:
            self._check(name, ())

    def _check(self, name: str, trail: tuple[str, ...]) -> None:
        if name in trail:
            raise FormulaError(trail[0], f"formula refers to itself via {' -> '.join((*trail, name))}")
        for used in self.formulas[name].names:
            if used in self.formulas:
                self._check(used, (*trail, name))
            elif used not in METRICS:
                raise FormulaError(name, f"unknown metric '{used}' in '{self.formulas[name].text}'")

    def known(self, name: str) -> bool:
        return name in METRICS or name in self.formulas

    def columns(self, name: str) -> frozenset[str]:
        """The canonical columns a metric is computed from."""
        if name not in self.formulas:
            return frozenset({name})
        return frozenset().union(*(self.columns(n) for n in self.formulas[name].names))

    def additive(self, name: str) -> bool:
        if name not in self.formulas:
            return True
        return self.formulas[name].additive and all(self.additive(n) for n in self.formulas[name].names)

    def proportion(self, name: str) -> tuple[str, str] | None:
        """(numerator, denominator) when the metric is a share of counts, e.g. ctr = clicks / impressions.

        Such rates get binomial intervals; money ratios (CPA, ROAS) do not.
        """
        formula = self.formulas.get(name)
        if (
            formula is None
            or not isinstance(formula.tree, ast.BinOp)
            or not isinstance(formula.tree.op, ast.Div)
        ):
            return None
        left, right = formula.tree.left, formula.tree.right
        if not (isinstance(left, ast.Name) and isinstance(right, ast.Name)):
            return None
        counts = {left.id, right.id}
        if counts & MONEY or not counts <= set(METRICS):
            return None
        return left.id, right.id

    def compute(self, name: str, sums: pd.DataFrame) -> pd.Series:
        """The metric per row of `sums` (period totals of canonical columns)."""
        if name not in self.formulas:
            return sums[name] if name in sums.columns else pd.Series(np.nan, index=sums.index)
        formula = self.formulas[name]
        return evaluate(formula, {n: self.compute(n, sums) for n in formula.names})
