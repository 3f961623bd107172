"""The report's findings as printed (`json_report.to_write`, evidence left as the rule made it for
the writer to make safe) against the contract's document (`document`, evidence through `safe`)
printed by the standard library: the same text, and untrusted text cleaned either way."""

from __future__ import annotations

import json
from datetime import date
from enum import Enum, StrEnum
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Lang, Wording
from kpi_cli.i18n.values import Quantity, Term, Unit
from kpi_cli.jsonio import dumps, safe
from kpi_cli.render import json_report
from kpi_cli.review import Review
from tests.test_kpi_rows import review


class Colour(Enum):
    RED = "red"


class Word(StrEnum):
    WARN = "warn"


def reference(value: Any) -> str:
    return json.dumps(safe(value), ensure_ascii=False, indent=2, allow_nan=False)


AWKWARD_EVIDENCE: dict[Any, Any] = {
    "name": "Campaign\u202e 7\x1b[2J\r\nsecond",
    "values": [1.0, float("nan"), float("inf"), np.float64(0.5), np.int64(3), -0.0, 1e16],
    "periods": ("2026-11", "2026-12"),
    "kinds": {"only"},
    "when": date(2026, 11, 30),
    "colour": Colour.RED,
    "word": Word.WARN,
    "nested": {"a\x00": 1, "a": 2, 3: "three", None: "none", True: "yes", "deeper": {"x": []}},
    "empty": [{}, [], ()],
    "surrogate": "x\ud800y",
    "percent": "50% %s",
}


def finding(evidence: dict[Any, Any], segment: str | None = "c\u202e001") -> Finding:
    return Finding(
        rule="drop",
        severity=Severity.FAIL,
        says=Wording("drop.average", {"first": "2026-09\x1b", "last": Quantity(0.25, Unit.SIGNED)}),
        kpi="leads",
        segment=segment,
        owner="営業",
        evidence=evidence,
        todo=Wording("drop.average", {"first": Term("status.met"), "last": date(2026, 12, 1)}),
        code="drop.count",
    )


def test_awkward_evidence_prints_the_same_written_or_made_safe_first() -> None:
    findings = [finding(AWKWARD_EVIDENCE), finding({}), finding({"x": 1.5}, segment=None)]
    r = Review(review().context, findings)
    for lang in Lang:
        written = dumps(json_report.to_write(r, lang))
        assert written == reference(json_report.document(r, lang))
        assert "\u202e" not in written and "\x1b" not in written  # cleaned on the written path too


evidence_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=6), st.dates()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)), inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=5), evidence_values, max_size=5))
def test_generated_evidence_prints_the_same_written_or_made_safe_first(evidence: dict[str, Any]) -> None:
    r = Review(review().context, [finding(evidence)])
    assert dumps(json_report.to_write(r, Lang.EN)) == reference(json_report.document(r, Lang.EN))
