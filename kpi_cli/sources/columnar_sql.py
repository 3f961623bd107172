"""The SQL of the columnar read path (columnar.py): one scan of the body, grouped in DuckDB.

Every expression here decides less than today's reader, never more: a metric cell is cast when
it is a plain number and cleaned only when it is a null token or grouped by thousands
(`"244,482"`); anything else counts as unreadable, and the caller then hands the file to the
pandas reader, which names the cell. Summary rows are found with a superset of their signature
(`candidate`): the few rows it flags carry their label cells out of DuckDB, so that the same
Python checks as the pandas reader decide which of them are summaries (non_data.non_data_checks).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpi_cli.sources.canonical import MONEY
from kpi_cli.sources.values import NULL_SPELLINGS

# Parts of every spelling summary.py matches (`total`, `Total`, `TOTAL`, `Grand total`, `Total:
# Account`, `summary`, `総合計`...): `contains` over them flags a superset of its rows, and is
# cheaper than lower-casing every label or a regular expression.
_SUMMARY_PARTS = ("otal", "OTAL", "ummary", "UMMARY", "合計", "総計", "全体", "小計")
# Every character Python's str.strip removes (np.strings.strip on the pandas path): ASCII space,
# \t \n \v \f \r, the separators \x1c-\x1f, NEL and Unicode's Z category (NBSP, ideographic space).
_NOT_SPACE = r"[^\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
_SPACE = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
# Characters no cell values.numbers_from_text reads as a number holds: a percent (a rate), and any
# ASCII letter but an exponent's `e` and the abbreviations' `k`, `m`, `b` (`inf`, `nan` spelt
# otherwise than a null token are not finite: unreadable there too).
_NEVER_IN_A_NUMBER = "[%ACDF-JLN-Zacdf-jln-z]"
# The kinds of an unread cell (_unread_kind).
NUMBER, TEXT, UNDECIDED = 0, 1, 2
# A cell DuckDB's DOUBLE parser and the pandas reader read alike (values._all_plain); RE2's `\s` is
# ASCII only, so a cell padded with other spaces is not plain here and the pandas reader reads it.
PLAIN_NUMBER = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"
_GROUPED = r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
# Metrics that may be negative (frame.SIGNED_METRICS): net follower change and money.
_SIGNED = frozenset({"followers"}) | MONEY


@dataclass(frozen=True)
class Scan:
    """What kpi's sniffing and profile say about the body: the positions DuckDB reads."""

    width: int  # columns in the header
    skip: int  # lines before the body (each one physical line)
    delimiter: str
    date: int
    date_end: int | None
    grain: dict[str, int]  # dimensions the result is grouped by -> position
    metrics: dict[str, int]  # canonical metric -> position
    typed: frozenset[int]  # metric positions scanned as DOUBLE (the sample held plain numbers)
    labels: list[int]  # first cell, date and every dimension: where a summary word can sit
    blank_names: list[int]  # columns blank only on a summary row (Meta's campaign name)
    # Unread columns whose sums `inspect` and `validate` show (unmapped.unmapped_columns): see
    # `_unread_kind` for what each cell counts as.
    unread: tuple[int, ...] = ()


def source(scan: Scan) -> str:
    """`read_csv` of the body, every column text except the metrics the sample showed plain."""
    columns = ", ".join(f"'c{i}': '{'DOUBLE' if i in scan.typed else 'VARCHAR'}'" for i in range(scan.width))
    return (
        f"read_csv(?, skip = {scan.skip}, header = false, auto_detect = false, "
        f"delim = {_literal(scan.delimiter)}, quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, null_padding = true)"
    )


def grouped(scan: Scan) -> str:
    """One row per date, date end, grain value and candidate key, with the sums and bad cells."""
    keys = [f"c{scan.date} AS k_date"]
    if scan.date_end is not None:
        keys.append(f"c{scan.date_end} AS k_end")
    keys += [f"c{p} AS k_{name}" for name, p in scan.grain.items()]
    keys += [f"CASE WHEN hit THEN coalesce(c{p}, '') END AS cand_{p}" for p in _checked(scan)]
    keys.append(f"CASE WHEN hit THEN {_rest_empty(scan)} END AS cand_rest")
    key_names = [k.rsplit(" AS ", 1)[1] for k in keys]
    cells = [f"c{p}" for p in dict.fromkeys(p for p in scan.metrics.values() if p not in scan.typed)]
    numbers = [f"{_number(scan, p)} AS n_{m}" for m, p in scan.metrics.items()]
    bad = " OR ".join(f"({_bad(scan, m, p)})" for m, p in scan.metrics.items()) or "false"
    sums = "".join(f", sum(n_{m}) AS {m}" for m in scan.metrics)
    unread = [f"c{p}, {_unread_value(p)} AS v_{p}" for p in scan.unread]
    # fsum (compensated): `inspect` shows 6 decimals, and a plain sum over 2M cents-valued cells
    # drifted there from the pandas reader's pairwise sum (528554414.619963 against .62).
    kinds = "".join(f", {_unread_kind(p)} AS w_{p}" for p in scan.unread)
    sums += "".join(
        f", fsum(v_{p}) AS u_{p}, count(v_{p}) AS un_{p}, count(*) FILTER (WHERE w_{p} = {TEXT}) AS ut_{p}, "
        f"count(*) FILTER (WHERE w_{p} = {UNDECIDED}) AS ub_{p}"
        for p in scan.unread
    )
    return (
        f"SELECT {', '.join(key_names)}, count(*) AS n_rows, count(*) FILTER (WHERE bad) AS n_bad{sums} "
        f"FROM (SELECT *, ({bad}) AS bad{kinds} FROM (SELECT {', '.join([*keys, *cells, *numbers, *unread])} "
        f"FROM (SELECT *, {_candidate(scan)} AS hit FROM {source(scan)}))) "
        f"GROUP BY {', '.join(key_names)}"
    )


def skipped_rows(scan: Scan, keys: list[dict[str, object]], rows: int) -> str:
    """The row number and key of the candidate rows whose key is one of `keys`, in file order.

    `keys` are the candidate keys of the groups found to be skipped (few); with `rows`, their
    number, as the limit, the scan stops at the last one (Meta's summary row is the first).
    """
    cells = ", ".join(f"coalesce(c{p}, '') AS cand_{p}" for p in _checked(scan))
    matches = " OR ".join(
        "(" + " AND ".join(f"{name} = {_value(value)}" for name, value in key.items()) + ")" for key in keys
    )
    return (
        f"SELECT * FROM (SELECT row_number() OVER () AS row_number, {_candidate(scan)} AS hit, "
        f"{cells}, {_rest_empty(scan)} AS cand_rest FROM {source(scan)}) WHERE hit AND ({matches}) LIMIT {rows}"
    )


def _value(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else _literal(str(value))


def _checked(scan: Scan) -> list[int]:
    """The cells the Python checks read: the labels and the name columns."""
    return list(dict.fromkeys([*scan.labels, *scan.blank_names]))


def _candidate(scan: Scan) -> str:
    """A superset of the rows non_data.non_data_checks can flag.

    Blank, comment-only and `No data` rows have no ISO date in the date column (a row whose date
    DuckDB cannot cast is always a candidate); a comment may also start the first cell of a dated
    row; summary words sit in a label; a summary may be blank in every name column.
    """
    labels = ", ".join(f"c{p}" for p in scan.labels)
    # `#` anywhere in the labels covers a comment in the first cell (always a label). The cast
    # comes last: first, it stopped DuckDB sharing the concatenation and doubled the cost.
    parts = [f"contains(concat_ws(' ', {labels}), {_literal(part)})" for part in ("#", *_SUMMARY_PARTS)]
    if scan.blank_names:
        blank = [f"NOT coalesce(regexp_matches(c{p}, '{_NOT_SPACE}'), false)" for p in scan.blank_names]
        parts.append("(" + " AND ".join(blank) + ")")
    parts.append(f"TRY_CAST(c{scan.date} AS DATE) IS NULL")
    return "(" + " OR ".join(parts) + ")"


def _rest_empty(scan: Scan) -> str:
    """Every cell after the first empty as written (summary.empty_after_first, not stripped)."""
    cells = [f"coalesce(CAST(c{i} AS VARCHAR), '') = ''" for i in range(1, scan.width)]
    return "(" + (" AND ".join(cells) or "true") + ")"


def _number(scan: Scan, position: int) -> str:
    """The metric as DOUBLE: scanned typed, or cast, or (with commas) cast once grouping is checked.

    A null token casts to NULL like an empty cell (`--`, `N/A`); `nan`/`inf` cast to values that
    `_bad` flags. A failed cast is costly, so a cell with a comma goes straight to the check.
    """
    cell = f"c{position}"
    if position in scan.typed:
        return cell
    return (
        f"CASE WHEN contains({cell}, ',') THEN (CASE WHEN regexp_full_match(trim({cell}), '{_GROUPED}') "
        f"THEN TRY_CAST(replace({cell}, ',', '') AS DOUBLE) END) ELSE TRY_CAST({cell} AS DOUBLE) END"
    )


def _bad(scan: Scan, metric: str, position: int) -> str:
    """A cell the pandas reader would refuse or read otherwise: unreadable, not finite, negative."""
    value = f"n_{metric}"
    checks = [f"isnan({value})", f"isinf({value})"]
    if metric not in _SIGNED:
        checks.append(f"{value} < 0")
    finite = f"coalesce({' OR '.join(checks)}, false)"
    if position in scan.typed:
        return finite
    cell = f"c{position}"
    unreadable = f"({value} IS NULL AND {cell} IS NOT NULL AND trim({cell}) NOT IN ({_nulls()}))"
    return f"{unreadable} OR {finite}"


def _unread_value(position: int) -> str:
    """An unread cell as DOUBLE when it is a plain or grouped number (`12`, `-1.5`, `5,044,003`)."""
    cell = f"c{position}"
    return (
        f"CASE WHEN regexp_full_match({cell}, {_literal(PLAIN_NUMBER)}) THEN TRY_CAST({cell} AS DOUBLE) "
        f"WHEN contains({cell}, ',') AND regexp_full_match(trim({cell}), '{_GROUPED}') "
        f"THEN TRY_CAST(replace({cell}, ',', '') AS DOUBLE) END"
    )


def _unread_kind(position: int) -> str:
    """What values.numbers_from_text makes of an unread cell: NUMBER (a finite number, or empty or a
    null token once stripped as Python strips), TEXT (never a number there: a letter no number or
    abbreviation holds, a `%`, or past the float range) or UNDECIDED (a currency, `1.2K`, `１２`...:
    the caller hands the file to the pandas reader)."""
    cell, value = f"c{position}", f"v_{position}"
    stripped = f"regexp_replace({cell}, '^{_SPACE}+|{_SPACE}+$', '', 'g')"
    return (
        f"CASE WHEN {cell} IS NULL THEN {NUMBER} "
        f"WHEN {value} IS NOT NULL THEN (CASE WHEN isinf({value}) THEN {TEXT} ELSE {NUMBER} END) "
        f"WHEN {stripped} IN ({_nulls()}) THEN {NUMBER} "
        f"WHEN regexp_matches({cell}, '{_NEVER_IN_A_NUMBER}') THEN {TEXT} ELSE {UNDECIDED} END"
    )


def _nulls() -> str:
    return ", ".join(_literal(token) for token in NULL_SPELLINGS)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
