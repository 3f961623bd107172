"""`collector_held` (kpi_cli/collector.py): the cyclic collector off inside, on again after."""

from __future__ import annotations

import gc

import pytest

from kpi_cli.collector import collector_held


def test_the_collector_is_off_inside_and_on_after() -> None:
    assert gc.isenabled()
    with collector_held():
        assert not gc.isenabled()
        with collector_held():  # nested: the inner block leaves it to the outer one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_error() -> None:
    with pytest.raises(ValueError), collector_held():
        raise ValueError("bad input")
    assert gc.isenabled()


def test_a_collector_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector_held():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_review_leaves_the_collector_on() -> None:
    from datetime import date

    from kpi_cli.metrics.formulas import Catalog
    from kpi_cli.render.json_report import render
    from kpi_cli.review import Review, build_context, evaluate_rules
    from tests.rules.test_drop_below_warn import _config, _rows

    as_of = date(2026, 11, 20)
    ctx = build_context(_config(3, "trailing"), Catalog({}), _rows(1, as_of), as_of, by="campaign")
    assert gc.isenabled()
    review = Review(ctx, evaluate_rules(ctx))
    assert gc.isenabled()
    assert render(review).startswith("{")
    assert gc.isenabled()
