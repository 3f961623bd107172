import math

import pandas as pd

from kpi_cli.sources.values import to_numbers, to_rates, to_seconds


def numbers(*cells: str) -> list[float | None]:
    parsed = to_numbers(pd.Series(cells, dtype=object))
    return [None if math.isnan(v) else v for v in parsed.values]


def test_plain_counts_and_counts_written_as_floats():
    assert numbers("12", "10.0", "0", "-3") == [12.0, 10.0, 0.0, -3.0]


def test_thousands_separators_and_currency_symbols():
    assert numbers("244,482", "1,234,567.5", "¥1,200", "￥7,500", "$3.50", "1,234円", "€ 99") == [
        244482.0,
        1234567.5,
        1200.0,
        7500.0,
        3.5,
        1234.0,
        99.0,
    ]


def test_abbreviated_counts():
    assert numbers("1.2K", "35.4K", "3M", "1.5万", "2億") == [
        1200.0,
        35400.0,
        3000000.0,
        15000.0,
        200000000.0,
    ]


def test_null_tokens_are_not_measured_never_zero():
    assert numbers("", "--", " --", "-", "N/A", "—") == [None] * 6
    assert not to_numbers(pd.Series(["", "--", " --", "-"], dtype=object)).bad.any()


def test_unreadable_cells_are_flagged_with_their_position():
    parsed = to_numbers(pd.Series(["1", "2", "12%", "abc", "1,5"], dtype=object))
    assert parsed.bad.tolist() == [False, False, True, True, True]
    assert parsed.first_bad() == 2


def test_a_column_mixing_plain_and_grouped_numbers():
    cells = ["5"] * 300 + ["1,000"]
    assert to_numbers(pd.Series(cells, dtype=object)).values.sum() == 2500.0


def test_rates_percent_strings_next_to_plain_fractions():
    parsed = to_rates(pd.Series(["12.91%", "0.2", "< 10%", "--", "8%", "oops"], dtype=object))
    values = [None if math.isnan(v) else round(v, 6) for v in parsed.values]
    assert values == [0.1291, 0.2, None, None, 0.08, None]
    assert parsed.bad.tolist() == [False, False, False, False, False, True]


def test_durations_as_seconds():
    parsed = to_seconds(pd.Series(["0:04:39", "1:02:03", "3:12", "45", "", "x"], dtype=object))
    values = [None if math.isnan(v) else v for v in parsed.values]
    assert values == [279.0, 3723.0, 192.0, 45.0, None, None]
    assert parsed.bad.tolist() == [False, False, False, False, False, True]


def test_commas_must_group_thousands():
    assert numbers("-1,234", "+12,345.6", "1,234,567") == [-1234.0, 12345.6, 1234567.0]
    assert to_numbers(
        pd.Series(["1,234", "1234,567", "12,34", ",123", "inf"], dtype=object)
    ).bad.tolist() == [
        False,
        True,
        True,
        True,
        True,
    ]


def test_full_width_digits_and_signs():
    assert numbers("１２３", "-0.5", ".25") == [123.0, -0.5, 0.25]
