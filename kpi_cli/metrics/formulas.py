"""Derived metrics (`cpa: cost / customers`): parsed once, evaluated on period sums.

Evaluating the formula on sums, never averaging per-row ratios, is what makes a monthly CPA the
cost of the month over the customers of the month.
"""

from __future__ import annotations

import keyword
import math
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from kpi_cli.errors import ConfigError
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources.canonical import METRICS, MONEY
from kpi_cli.untrusted import one_line

# Long enough for a chain of 1000 terms (which evaluates fine: evaluation is a loop, not recursion).
MAX_FORMULA_CHARS = 10_000
# Derived metrics built on derived metrics: the catalog walks these chains recursively.
MAX_CHAIN = 50
GRAMMAR = "only metric names, numbers, + - * / and parentheses are allowed"


class Op(StrEnum):
    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    NEG = "neg"  # unary minus


_BINARY: dict[Op, Callable[[object, object], object]] = {
    Op.ADD: operator.add,
    Op.SUB: operator.sub,
    Op.MUL: operator.mul,
    Op.DIV: operator.truediv,
}
_PRECEDENCE = {Op.ADD: 1, Op.SUB: 1, Op.MUL: 2, Op.DIV: 2, Op.NEG: 3}
_OPEN = "("

# One token at a time. Names may be any Unicode word (`成約率`), as Python's parser allowed; digits
# are ASCII only. A number must not run into letters (`1j`, `2cost`), and anything the
# pattern does not know (quotes, `~`, `<`, `.attr`, `[`, `,`) is refused at its column.
_TOKEN = re.compile(
    r"(?P<space>\s+)|(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)(?P<glued>[\w.]*)"
    r"|(?P<name>[^\W\d]\w*)|(?P<op>[-+*/])|(?P<paren>[()])"
)


class FormulaError(ConfigError):
    """A derived metric that cannot be computed; `metric` names it so the loader can place it."""

    def __init__(self, metric: str, problem: str) -> None:
        super().__init__(f"metric '{metric}': {problem}")
        self.metric = metric
        self.problem = problem


Step = float | str | Op  # a literal, a metric name, or an operator (postfix order)


@dataclass(frozen=True)
class Formula:
    """A formula in postfix order: evaluated with a stack, so no nesting can exhaust recursion."""

    text: str
    steps: tuple[Step, ...]
    names: frozenset[str]

    @property
    def additive(self) -> bool:
        """Only sums and differences of flows are flows themselves (and may be pro-rated)."""
        return all(step in (Op.ADD, Op.SUB, Op.NEG) for step in self.steps if isinstance(step, Op))

    @property
    def ratio_of_names(self) -> tuple[str, str] | None:
        """(a, b) when the whole formula is `a / b` of two metric names."""
        match self.steps:
            case (str() as left, str() as right, Op.DIV) if not isinstance(left, Op) and not isinstance(
                right, Op
            ):
                return left, right
        return None


def parse_formula(name: str, text: str) -> Formula:
    """Metric names, finite numbers, + - * /, unary minus and parentheses; anything else refused.

    Python's parser used to read these: `~cost` and `not cost` evaluated as `cost`, and strings,
    booleans, None, bytes and complex numbers slipped through as constants.
    """
    shown = one_line(text, 80)

    def refuse(column: int, problem: str) -> FormulaError:
        return FormulaError(name, f"column {column} of '{shown}': {problem}")

    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(name, f"formula is longer than {MAX_FORMULA_CHARS:,} characters")
    steps: list[Step] = []
    pending: list[tuple[Op | str, int]] = []  # operators and open parentheses, with their column
    expect_operand = True
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        column = position + 1
        if match is None:
            char = text[position]
            shown_char = char if one_line(char) == char and char.isprintable() else f"U+{ord(char):04X}"
            raise refuse(column, f"'{shown_char}' is not allowed ({GRAMMAR})")
        position = match.end()
        if match.group("space"):
            continue
        token = match.group(0)
        if match.group("number") is not None:
            if not expect_operand:
                raise refuse(column, "expected an operator")
            if match.group("glued"):
                raise refuse(column, f"'{one_line(token, 20)}' is not a number")
            value = float(token)
            if not math.isfinite(value):
                raise refuse(column, f"'{one_line(token, 20)}' is not a finite number")
            steps.append(value)
            expect_operand = False
        elif match.group("name") is not None:
            if keyword.iskeyword(token) or keyword.issoftkeyword(token):
                raise refuse(column, f"'{token}' is not allowed ({GRAMMAR})")
            if not expect_operand:
                raise refuse(column, "expected an operator")
            if text[position:].lstrip().startswith("("):
                raise refuse(column, f"calling '{one_line(token, 20)}' is not allowed ({GRAMMAR})")
            steps.append(token)
            expect_operand = False
        elif token == "(":
            if not expect_operand:
                raise refuse(column, "expected an operator")
            pending.append((_OPEN, column))
        elif token == ")":
            if expect_operand:
                raise refuse(column, "expected a metric or a number")
            while pending and pending[-1][0] != _OPEN:
                steps.append(Op(pending.pop()[0]))
            if not pending:
                raise refuse(column, "')' without its '('")
            pending.pop()
        elif expect_operand:
            if token != "-":
                raise refuse(column, "expected a metric or a number")
            pending.append((Op.NEG, column))
        else:
            op = Op(token)
            while pending and pending[-1][0] != _OPEN and _PRECEDENCE[Op(pending[-1][0])] >= _PRECEDENCE[op]:
                steps.append(Op(pending.pop()[0]))
            pending.append((op, column))
            expect_operand = True
    if expect_operand:
        raise refuse(len(text) + 1, "expected a metric or a number" if text.strip() else "empty formula")
    while pending:
        top, column = pending.pop()
        if top == _OPEN:
            raise refuse(column, "'(' is never closed")
        steps.append(Op(top))
    names = frozenset(step for step in steps if isinstance(step, str) and not isinstance(step, Op))
    return Formula(text=text, steps=tuple(steps), names=names)


def evaluate(formula: Formula, values: Mapping[str, pd.Series]) -> pd.Series:
    """Division by zero gives NaN (no customers: CPA is undefined, not infinite)."""
    stack: list[object] = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for step in formula.steps:
            if isinstance(step, Op):
                if step is Op.NEG:
                    stack.append(-stack.pop())  # type: ignore[operator]
                else:
                    right, left = stack.pop(), stack.pop()
                    stack.append(_safe_binary(step, left, right))
            elif isinstance(step, str):
                stack.append(values[step])
            else:
                stack.append(step)
    result = stack.pop()
    series = result if isinstance(result, pd.Series) else pd.Series(result, index=_any_index(values))
    return series.astype(float).replace([np.inf, -np.inf], np.nan)


def _safe_binary(op: Op, left: object, right: object) -> object:
    """An undefined step (x / 0, an overflow) is NaN at once, so `0 / (x / 0)` is NaN, not 0."""
    if isinstance(left, float) and isinstance(right, float):
        if op is Op.DIV and right == 0:
            return math.nan
        result = _BINARY[op](left, right)
        return result if isinstance(result, float) and math.isfinite(result) else math.nan
    result = _BINARY[op](left, right)
    return result.replace([np.inf, -np.inf], np.nan) if isinstance(result, pd.Series) else result


def _any_index(values: Mapping[str, pd.Series]) -> pd.Index:
    return next(iter(values.values())).index if values else pd.RangeIndex(1)


class Catalog:
    """Every metric name the config may use: canonical columns plus the config's formulas."""

    def __init__(self, derived: Mapping[str, str]) -> None:
        self.formulas = {name: parse_formula(name, text) for name, text in derived.items()}
        for name in self.formulas:
            self._check(name, ())

    def _check(self, name: str, trail: tuple[str, ...]) -> None:
        if len(trail) > MAX_CHAIN:
            raise FormulaError(
                trail[0], f"formula builds on more than {MAX_CHAIN} derived metrics in a chain"
            )
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
        pair = formula.ratio_of_names if formula is not None else None
        if pair is None:
            return None
        counts = set(pair)
        if counts & MONEY or not counts <= set(METRICS):
            return None
        return pair

    def compute(self, name: str, sums: pd.DataFrame) -> pd.Series:
        """The metric per row of `sums` (period totals of canonical columns)."""
        if name not in self.formulas:
            return sums[name] if name in sums.columns else pd.Series(np.nan, index=sums.index)
        formula = self.formulas[name]
        return evaluate(formula, {n: self.compute(n, sums) for n in formula.names})
