"""The strict formula grammar (issue 7): what it reads, what it refuses and where."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.metrics.formulas import MAX_CHAIN, Catalog, FormulaError, evaluate, parse_formula


def _value(text: str, **values: float) -> float:
    formula = parse_formula("m", text)
    series = {name: pd.Series([value]) for name, value in values.items()}
    return float(evaluate(formula, series).iloc[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cost / customers", 1000 / 4),
        ("cost - customers * 2", 1000 - 8),  # * before -
        ("(cost - customers) * 2", 996 * 2),
        ("-cost + 1", -999),
        ("--cost", 1000),
        ("cost / customers / 2", 125),  # left to right: (1000 / 4) / 2
        ("cost - customers - 1", 995),
        ("2 * -customers", -8),
        ("1.5e2 + .5", 150.5),
        ("cost / 0", math.nan),
    ],
)
def test_reads_arithmetic_like_a_calculator(text: str, expected: float) -> None:
    got = _value(text, cost=1000, customers=4)
    assert (math.isnan(got) and math.isnan(expected)) or got == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("~cost", "column 1 of '~cost': '~' is not allowed"),
        ("not cost", "column 1 of 'not cost': 'not' is not allowed"),
        ("'5'*cost", "column 1 of ''5'*cost': ''' is not allowed"),
        ("True*cost", "column 1 of 'True*cost': 'True' is not allowed"),
        ("None", "column 1 of 'None': 'None' is not allowed"),
        ("b'x' + cost", "column 2 of 'b'x' + cost': ''' is not allowed"),
        ("1j * cost", "column 1 of '1j * cost': '1j' is not a number"),
        ("cost > 1", "column 6 of 'cost > 1': '>' is not allowed"),
        ("cost == 1", "column 6 of 'cost == 1': '=' is not allowed"),
        ("abs(cost)", "column 1 of 'abs(cost)': calling 'abs' is not allowed"),
        ("cost.real", "column 5 of 'cost.real': '.' is not allowed"),
        ("cost[0]", "column 5 of 'cost[0]': '[' is not allowed"),
        ("cost ** 2", "column 7 of 'cost ** 2': expected a metric or a number"),
        ("cost // 2", "column 7 of 'cost // 2': expected a metric or a number"),
        ("+cost", "column 1 of '+cost': expected a metric or a number"),
        ("cost customers", "column 6 of 'cost customers': expected an operator"),
        ("(cost", "column 1 of '(cost': '(' is never closed"),
        ("cost)", "column 5 of 'cost)': ')' without its '('"),
        ("cost +", "column 7 of 'cost +': expected a metric or a number"),
        ("", "column 1 of '': empty formula"),
        ("1e999 * cost", "column 1 of '1e999 * cost': '1e999' is not a finite number"),
        ("lambda: 1", "column 1 of 'lambda: 1': 'lambda' is not allowed"),
        ("cost if cost else 1", "column 6 of 'cost if cost else 1': 'if' is not allowed"),
    ],
)
def test_refuses_everything_else_with_its_column(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula("m", text)
    assert info.value.problem.startswith(message), info.value.problem


def test_a_chain_of_a_thousand_terms_evaluates() -> None:
    # Used to be a RecursionError; evaluation is now a loop over postfix steps.
    assert _value(" + ".join(["cost"] * 1000), cost=2) == 2000
    assert _value("(" * 500 + "cost" + ")" * 500, cost=3) == 3
    assert _value("-" * 1001 + "cost", cost=3) == -3


def test_unicode_metric_names_as_before() -> None:
    # A derived metric may be named in Japanese and used by another formula.
    catalog = Catalog({"成約率": "customers / leads", "成約率_pct": "成約率 * 100"})
    sums = pd.DataFrame({"customers": [3.0], "leads": [60.0]})
    assert catalog.compute("成約率_pct", sums).tolist() == [5.0]  # 3 / 60 * 100
    with pytest.raises(FormulaError, match="'１' is not allowed"):  # a full-width digit is not a number
        parse_formula("m", "cost * １")


def test_too_long_formula_is_refused() -> None:
    with pytest.raises(FormulaError, match="longer than 10,000 characters"):
        parse_formula("m", "cost+" * 3000 + "cost")


def test_chain_of_derived_metrics_is_bounded() -> None:
    derived = {"m0": "cost"} | {f"m{i}": f"m{i - 1} + 1" for i in range(1, MAX_CHAIN + 5)}
    with pytest.raises(FormulaError, match="more than 50 derived metrics"):
        Catalog(derived)
    short = {"m0": "cost"} | {f"m{i}": f"m{i - 1} + 1" for i in range(1, 10)}
    assert Catalog(short).columns("m9") == {"cost"}


def test_catalog_keeps_its_public_answers() -> None:
    catalog = Catalog({"ctr": "clicks / impressions", "cpa": "cost / customers", "net": "revenue - cost"})
    assert catalog.proportion("ctr") == ("clicks", "impressions")
    assert catalog.proportion("cpa") is None  # money
    assert catalog.additive("net") and not catalog.additive("ctr")
    assert catalog.known("ctr") and not catalog.known("nope")
    sums = pd.DataFrame({"clicks": [10.0], "impressions": [200.0]})
    assert catalog.compute("ctr", sums).tolist() == [0.05]


# --- property: any text parses to what a reference evaluator computes, or fails with a column ---

_OPS: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_VALUES = {"cost": 7.0, "leads": 3.0, "clicks": -2.5}


@st.composite
def _expressions(draw: st.DrawFn, depth: int = 0) -> tuple[str, float]:
    """A random well-formed formula and its value, computed here by Python float arithmetic."""
    if depth > 4 or draw(st.booleans()):
        if draw(st.booleans()):
            name = draw(st.sampled_from(sorted(_VALUES)))
            return name, _VALUES[name]
        number = draw(st.integers(0, 50))
        return str(number), float(number)
    kind = draw(st.sampled_from(["binary", "paren", "neg"]))
    left_text, left = draw(_expressions(depth + 1))
    if kind == "paren":
        return f"({left_text})", left
    if kind == "neg":
        return f"-({left_text})", -left
    op = draw(st.sampled_from(sorted(_OPS)))
    right_text, right = draw(_expressions(depth + 1))
    # Parentheses on both sides keep the reference evaluation's grouping unambiguous.
    value = math.nan if op == "/" and right == 0 else _OPS[op](left, right)
    return f"({left_text}) {op} ({right_text})", value


@settings(max_examples=200, deadline=None)
@given(_expressions())
def test_property_well_formed_formulas_match_a_reference(case: tuple[str, float]) -> None:
    text, expected = case
    got = _value(text, **_VALUES)
    if math.isnan(expected) or math.isinf(expected):
        assert math.isnan(got)
    else:
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("cost leads 0123456789.eE+-*/()~'\"<>=!,[]jTNn_ ")), max_size=30)
)
def test_property_any_text_parses_or_is_refused_with_a_column(text: str) -> None:
    try:
        formula = parse_formula("m", text)
    except FormulaError as exc:
        assert exc.problem.startswith(("column ", "formula is longer")), exc.problem
        return
    # Anything accepted must be something Python's own arithmetic reads the same way.
    if formula.names <= set(_VALUES):
        # Python refuses `01` (we read it as 1) and raises on `/ 0` (we give NaN): align those two.
        python_text = re.sub(r"(?<![\w.])0+(?=\d)", "", text)
        try:
            expected = eval(python_text, {"__builtins__": {}}, dict(_VALUES))
        except ZeroDivisionError:
            expected = math.nan
        got = _value(text, **_VALUES)
        assert isinstance(expected, int | float) and not isinstance(expected, bool)
        assert (math.isnan(got) and not math.isfinite(expected)) or got == pytest.approx(expected)
