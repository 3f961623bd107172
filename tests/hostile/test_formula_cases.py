"""Hostile derived-metric formulas (issue 7), through `kpi validate`: refused at load with the
formula's column, never evaluated into a silent wrong answer, never a RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.config.test_loader import GOOD
from tests.hostile.harness import assert_contract, invoke_kpi

GRAMMAR = "(only metric names, numbers, + - * / and parentheses are allowed)"


def _validate(tmp_path: Path, formula: str) -> tuple[int, str]:
    path = tmp_path / "config.yaml"
    # Quoted so that YAML hands the formula over as written (`'5'*cost` is not YAML-safe bare).
    quoted = '"' + formula.replace("\\", "\\\\").replace('"', '\\"') + '"'
    path.write_text(GOOD.replace("cost / customers", quoted), encoding="utf-8")
    result = invoke_kpi("validate", "-c", str(path))
    assert_contract(result)
    return result.code, result.stderr.replace(str(path), "c.yaml")


@pytest.mark.parametrize(
    ("formula", "problem"),
    [
        ("~cost", f"column 1 of '~cost': '~' is not allowed {GRAMMAR}"),
        ("not cost", f"column 1 of 'not cost': 'not' is not allowed {GRAMMAR}"),
        ("'5'*cost", f"column 1 of ''5'*cost': ''' is not allowed {GRAMMAR}"),
        ('"5"*cost', f"column 1 of '\"5\"*cost': '\"' is not allowed {GRAMMAR}"),
        ("True*cost", f"column 1 of 'True*cost': 'True' is not allowed {GRAMMAR}"),
        ("False", f"column 1 of 'False': 'False' is not allowed {GRAMMAR}"),
        ("None", f"column 1 of 'None': 'None' is not allowed {GRAMMAR}"),
        ("b'x'", f"column 2 of 'b'x'': ''' is not allowed {GRAMMAR}"),
        ("1j*cost", "column 1 of '1j*cost': '1j' is not a number"),
        ("cost < 1", f"column 6 of 'cost < 1': '<' is not allowed {GRAMMAR}"),
        ("cost and leads", f"column 6 of 'cost and leads': 'and' is not allowed {GRAMMAR}"),
        (
            "__import__('os').system('x')",
            f"column 1 of '__import__('os').system('x')': calling '__import__' is not allowed {GRAMMAR}",
        ),
        ("max(cost, leads)", f"column 1 of 'max(cost, leads)': calling 'max' is not allowed {GRAMMAR}"),
        ("cost.__class__", f"column 5 of 'cost.__class__': '.' is not allowed {GRAMMAR}"),
        ("cost[0]", f"column 5 of 'cost[0]': '[' is not allowed {GRAMMAR}"),
        ("cost ** 99999", "column 7 of 'cost ** 99999': expected a metric or a number"),
        ("cost % 2", f"column 6 of 'cost % 2': '%' is not allowed {GRAMMAR}"),
        ("cost @ leads", f"column 6 of 'cost @ leads': '@' is not allowed {GRAMMAR}"),
        ("lambda: cost", f"column 1 of 'lambda: cost': 'lambda' is not allowed {GRAMMAR}"),
        ("(cost", "column 1 of '(cost': '(' is never closed"),
        ("cost / / leads", "column 8 of 'cost / / leads': expected a metric or a number"),
        ("1e400 * cost", "column 1 of '1e400 * cost': '1e400' is not a finite number"),
        ("cost\u202e / leads", f"column 5 of 'cost / leads': 'U+202E' is not allowed {GRAMMAR}"),
        ("cost / customerz", "unknown metric 'customerz' in 'cost / customerz'"),
    ],
)
def test_refused_at_load_with_the_column(tmp_path: Path, formula: str, problem: str) -> None:
    assert _validate(tmp_path, formula) == (2, f"kpi: error: invalid metric 'cpa' at c.yaml:7: {problem}\n")


@pytest.mark.parametrize(
    "formula",
    [
        " + ".join(["cost"] * 1000),  # used to be a RecursionError
        "(" * 300 + "cost" + ")" * 300,
        "-" * 999 + "cost",
        " * ".join(["cost"] * 1000) + " / customers",
    ],
    ids=["1000-terms", "300-parens", "999-minus", "1000-factors"],
)
def test_long_chains_load(tmp_path: Path, formula: str) -> None:
    code, err = _validate(tmp_path, formula)
    # GOOD's source file does not exist: loading the config succeeded when the error is about it.
    assert code == 2 and "crm.csv" in err and "invalid metric" not in err, err


def test_longer_than_the_limit_is_a_clear_error(tmp_path: Path) -> None:
    assert _validate(tmp_path, "cost+" * 2500 + "cost") == (
        2,
        "kpi: error: invalid metric 'cpa' at c.yaml:7: formula is longer than 10,000 characters\n",
    )


def test_self_reference_is_refused(tmp_path: Path) -> None:
    assert _validate(tmp_path, "cpa + 1") == (
        2,
        "kpi: error: invalid metric 'cpa' at c.yaml:7: formula refers to itself via cpa -> cpa\n",
    )
