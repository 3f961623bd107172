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

from kpi_cli.sources import columnar_cells as cells
from kpi_cli.sources.canonical import MONEY
from kpi_cli.sources.dates import ISO_DATE_TIME
from kpi_cli.sources.timed import SHAPES

# Parts of every spelling summary.py matches (`total`, `Total`, `TOTAL`, `Grand total`, `Total:
# Account`, `summary`, `総合計`, and `NaN`, which values.spellings adds to every word list) and
# of a comment (`#`): `contains` over them flags a superset of its rows, and is cheaper than
# lower-casing every label or a regular expression. tests/columnar checks they cover summary.py.
SUMMARY_PARTS = ("#", "otal", "OTAL", "ummary", "UMMARY", "NaN", "合計", "総計", "全体", "小計")
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
    # The sample's dates carry a time of day: group by the day written (see `_day_of`).
    timed: bool = False


def source(scan: Scan) -> str:
    """`read_csv` of the body, every column text except the metrics the sample showed plain."""
    columns = ", ".join(f"'c{i}': '{'DOUBLE' if i in scan.typed else 'VARCHAR'}'" for i in range(scan.width))
    return (
        f"read_csv(?, skip = {scan.skip}, header = false, auto_detect = false, "
        f"delim = {cells.literal(scan.delimiter)}, quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, null_padding = true)"
    )


def grouped(scan: Scan) -> str:
    """One row per date, date end, grain value and candidate key, with the sums and `bad`.

    `bad`: the group holds a cell the pandas reader would refuse or read otherwise. It is decided
    on the group's sums, not cell by cell: an unreadable cell is NaN (`_number`), and NaN or an
    infinity makes the sum NaN or infinite; only the sign needs a look at each cell, in one filter.
    """
    keys = [*_keys(scan), *_candidate_cells(scan)]
    key_names = _names(keys)
    cells, sums, bad = _measures(scan)
    rows = _rows(scan, [*keys, *cells], f"(SELECT *, {_candidate(scan)} AS hit FROM {source(scan)})")
    return (
        f"SELECT *, ({bad}) AS bad FROM (SELECT {', '.join(key_names)}, {sums} "
        f"FROM ({rows}) GROUP BY {', '.join(key_names)})"
    )


@dataclass(frozen=True)
class Monthly:
    """A dimension summed by month beside the day groups (sources/grain.py): its column, and the
    last day summed (ISO text, compared as text: the caller checks every day key is ISO)."""

    position: int
    through: str | None


def by_labels(scan: Scan) -> str:
    """`grouped` without a look at each row for a summary word, for files that have none (most).

    The same scan groups the rows by the keys (the data groups: every `cand_` column NULL) and
    lists the distinct values of each label outside the keys: `suspect`, on every row, says a label
    value, a key or a date that does not cast could make a row a candidate; the caller then runs
    `grouped`. Searching every row's labels cost about a quarter of a plain file's scan; grouping
    by each label costs little when the label groups carry no sums (`_label_sets`).

    A file with name columns (Meta) has a summary row blank in all of them in every export, so
    that test alone stays on each row (`_blank_named`): its rows carry their `cand_` cells as in
    `grouped`, and only a label or date that could make another row a candidate sends the file on.
    Meta 1M, the scan alone: ten `contains` a row on the campaign name and a date cast a row cost
    ~0.1 s of CPU more than listing the names (1.32 -> 1.20 s, interleaved, medians of 9).
    """
    return _by_labels(scan, None)


def by_labels_and_months(scan: Scan, monthly: Monthly) -> str:
    """`by_labels`, and from the same shared scan one dimension's sums by month (`label_set` 2:
    `m_value`, `m_month` as `YYYY-MM`, `n_rows` and a sum per metric), for a `--by` review whose
    views read only monthly sums: the day groups then leave that dimension out. DuckDB 2 on only
    (`_streams_shared_scans`); the caller checks that first."""
    return _by_labels(scan, monthly)


def _by_labels(scan: Scan, monthly: Monthly | None) -> str:
    # Name columns: the rows blank in all of them are candidates here already (see by_labels).
    candidates = _candidate_cells(scan) if scan.blank_names else []
    keys = [*_keys(scan), *candidates]
    key_names = _names(keys)
    grain = {p: f"k_{name}" for name, p in scan.grain.items()}
    # The monthly dimension's values are each listed by its months (`m_value`), not a label set.
    apart = {monthly.position} if monthly is not None else set()
    labels = [p for p in scan.labels if p != scan.date and p not in grain and p not in apart]
    cells, sums, bad = _measures(scan)
    carried = [f"c{monthly.position} AS m_value"] if monthly is not None else []
    source_rows = (
        f"(SELECT *, {_blank_named(scan)} AS hit FROM {source(scan)})" if candidates else source(scan)
    )
    rows = _rows(scan, [*keys, *(f"c{p} AS l_{p}" for p in labels), *carried, *cells], source_rows)
    named = [grain[p] for p in scan.labels if p in grain]
    label_names = [f"l_{p}" for p in labels]
    listed = f"WHEN label_set = 2 THEN {_holds_a_part(['m_value'])} " if monthly is not None else ""
    suspect = (
        f"CASE WHEN label_set = 0 THEN (TRY_CAST(k_date AS DATE) IS NULL OR {_holds_a_part(named)}) "
        f"{listed}ELSE {_holds_a_part(label_names)} END"
    )
    # Without name columns no row is a candidate here: the `cand_` columns `grouped` has, all NULL.
    nulls = [
        *(f"CAST(NULL AS VARCHAR) AS cand_{p}" for p in _checked(scan)),
        "CAST(NULL AS BOOLEAN) AS cand_rest",
    ]
    placeholders = [] if candidates else nulls
    sets = _label_sets(rows, key_names, label_names, sums)
    excluded, kept = [*label_names, "label_set"], "label_set = 0"
    if monthly is not None:  # label_set stays: the caller splits the day groups from the months
        sets = f"{sets} UNION ALL BY NAME {_months(scan, monthly)}"
        excluded, kept = label_names, "label_set IN (0, 2)"
    exclude = f" EXCLUDE ({', '.join(excluded)})" if excluded else ""  # a file with no other label
    return (
        f"SELECT *{exclude}{''.join(f', {p}' for p in placeholders)} "
        f"FROM (SELECT *, ({bad}) AS bad, bool_or(coalesce({suspect}, false)) OVER () AS suspect "
        f"FROM ({sets})) WHERE {kept}"
    )


def _months(scan: Scan, monthly: Monthly) -> str:
    """The dimension's sums by month from the shared scan `body` (`_label_sets` names it)."""
    sums = ", ".join(["count(*) AS n_rows", *(f"sum(n_{m}) AS {m}" for m in scan.metrics)])
    month = "left(k_date, 7)"
    if monthly.through is not None:  # later rows: a month of their own (NULL), dropped by the caller
        month = f"CASE WHEN k_date <= {cells.literal(monthly.through)} THEN {month} END"
    return f"SELECT {month} AS m_month, m_value, 2 AS label_set, {sums} FROM body GROUP BY m_month, m_value"


def _label_sets(rows: str, key_names: list[str], label_names: list[str], sums: str) -> str:
    """The key groups with their sums (`label_set` 0) and each label's distinct values (1, no sums).

    DuckDB 2 streams one scan into every query of a shared CTE (its GROUPING SETS are built on
    that too), so the label groups can go without sums: GROUPING SETS computed all of them for
    every set, 11 sums x 3 labels per row, ~1.5 s of CPU on 10M plain rows. Older DuckDB inlines or
    materialises a shared CTE (a scan per query, or the whole body in memory): GROUPING SETS there.
    """
    if not _streams_shared_scans():
        sets = ", ".join([f"({', '.join(key_names)})", *(f"({label})" for label in label_names)])
        return (
            f"SELECT {', '.join([*key_names, *label_names])}, GROUPING({key_names[0]}) AS label_set, "
            f"{sums} FROM ({rows}) GROUP BY GROUPING SETS ({sets})"
        )
    keys = ", ".join(key_names)
    queries = [f"SELECT {keys}, 0 AS label_set, {sums} FROM body GROUP BY {keys}"]
    queries += [f"SELECT {label}, 1 AS label_set FROM body GROUP BY {label}" for label in label_names]
    return f"WITH body AS ({rows}) {' UNION ALL BY NAME '.join(queries)}"


def months_beside_days() -> bool:
    """`by_labels_and_months` can run: its months share the day groups' scan (DuckDB 2 on)."""
    return _streams_shared_scans()


def _streams_shared_scans() -> bool:
    """DuckDB streams one scan into each query of a CTE used several times (2.0 on)."""
    import duckdb

    return int(duckdb.__version__.split(".", 1)[0]) >= 2


def _keys(scan: Scan) -> list[str]:
    keys = [f"{_day_of(scan, scan.date)} AS k_date"]
    if scan.date_end is not None:
        keys.append(f"{_day_of(scan, scan.date_end)} AS k_end")
    return keys + [f"c{p} AS k_{name}" for name, p in scan.grain.items()]


def _day_of(scan: Scan, position: int) -> str:
    """The date cell, or its day key when it is timed (timed.py): an event log timed to the second
    has a distinct value per row, and grouping by it kept one group per row (2.6M groups, 2-3 GB
    for a 225 MB file) where the review needs one per day. Any other cell is grouped as written."""
    cell = f"c{position}"
    if not scan.timed:
        return cell
    day = "\\1"  # the pattern's group 1, in regexp_replace's replacement
    shapes = " ".join(
        f"WHEN regexp_full_match({cell}, {cells.literal(shape.pattern)}) "
        f"THEN regexp_replace({cell}, {cells.literal(f'^{shape.pattern}$')}, {cells.literal(shape.key(day))})"
        for shape in SHAPES
    )
    return f"CASE WHEN regexp_full_match({cell}, {cells.literal(ISO_DATE_TIME)}) THEN left({cell}, 10) {shapes} ELSE {cell} END"


def _label(scan: Scan, position: int) -> str:
    """A label cell as a candidate row carries it: a date as its day key (`_day_of`), or a timed
    export, where every row is a candidate when its dates do not cast (`10/03/2026 09:15 AM`),
    was still grouped by row (1.4 GB for a 225 MB file). The key is what the checks on a
    candidate (non_data.non_data_checks) read as they read the cell: it keeps the cell's start,
    is never empty, and its time holds no summary word."""
    return _day_of(scan, position) if position in (scan.date, scan.date_end) else f"c{position}"


def _names(selected: list[str]) -> list[str]:
    return [s.rsplit(" AS ", 1)[1] for s in selected]


def _measures(scan: Scan) -> tuple[list[str], str, str]:
    """The cells each row carries, the aggregates of a group, and its `bad` over those."""
    numbers = [f"{_number(scan, p)} AS n_{m}" for m, p in scan.metrics.items()]
    unread = [f"c{p}, {cells.unread_value(p)} AS v_{p}" for p in scan.unread]
    sums = ["count(*) AS n_rows", *(f"sum(n_{m}) AS {m}" for m in scan.metrics)]
    # The lowest unsigned cell of the group, not a count of negative ones: `count(*) FILTER (WHERE
    # n_a < 0 OR n_b < 0 ...)` cost ~0.7 s of CPU on 10M plain rows. The least of each column's
    # `min`, not the `min` of a `least` per row: the same number (both skip NULLs and order NaN
    # above every number, as `< 0` never holds for either), but a `min` is a plain aggregate where
    # the row's `least` was a function over seven cells: 0.1 s of the scan's 2.3 s (10M plain rows,
    # 9 interleaved rounds, medians).
    unsigned = [f"min(n_{m})" for m in scan.metrics if m not in _SIGNED]
    sums.append(f"least({', '.join(unsigned)}) AS n_lowest" if unsigned else "NULL AS n_lowest")
    # fsum (compensated): `inspect` shows 6 decimals, and a plain sum over 2M cents-valued cells
    # drifted there from the pandas reader's pairwise sum (528554414.619963 against .62).
    sums += [
        f"fsum(v_{p}) AS u_{p}, count(v_{p}) AS un_{p}, count(*) FILTER (WHERE w_{p} = {cells.TEXT}) AS ut_{p}, "
        f"count(*) FILTER (WHERE w_{p} = {cells.UNDECIDED}) AS ub_{p}"
        for p in scan.unread
    ]
    not_finite = [f"coalesce(isnan({m}) OR isinf({m}), false)" for m in scan.metrics]
    return [*numbers, *unread], ", ".join(sums), " OR ".join([*not_finite, "coalesce(n_lowest < 0, false)"])


def _rows(scan: Scan, selected: list[str], source_rows: str) -> str:
    """Each row's keys and cells, with the kinds of its unread cells (`_unread_kind`)."""
    rows = f"SELECT {', '.join(selected)} FROM {source_rows}"
    kinds = "".join(f", {cells.unread_kind(p)} AS w_{p}" for p in scan.unread)
    return f"SELECT *{kinds} FROM ({rows})" if kinds else rows


def _holds_a_part(labels: list[str]) -> str:
    """Any of the label cells holds a part of a summary word (SUMMARY_PARTS); false for none."""
    if not labels:
        return "false"
    text = labels[0] if len(labels) == 1 else f"concat_ws(' ', {', '.join(labels)})"
    return (
        "coalesce("
        + " OR ".join(f"contains({text}, {cells.literal(part)})" for part in SUMMARY_PARTS)
        + ", false)"
    )


def skipped_rows(scan: Scan, keys: list[dict[str, object]], rows: int) -> str:
    """The row number and key of the candidate rows whose key is one of `keys`, in file order.

    `keys` are the candidate keys of the groups found to be skipped (few); with `rows`, their
    number, as the limit, the scan stops at the last one (Meta's summary row is the first).
    """
    cells = ", ".join(f"coalesce({_label(scan, p)}, '') AS cand_{p}" for p in _checked(scan))
    matches = " OR ".join(
        "(" + " AND ".join(f"{name} = {_value(value)}" for name, value in key.items()) + ")" for key in keys
    )
    return (
        f"SELECT * FROM (SELECT row_number() OVER () AS row_number, {_candidate(scan)} AS hit, "
        f"{cells}, {_rest_empty(scan)} AS cand_rest FROM {source(scan)}) WHERE hit AND ({matches}) LIMIT {rows}"
    )


def _value(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else cells.literal(str(value))


def _checked(scan: Scan) -> list[int]:
    """The cells the Python checks read: the labels and the name columns."""
    return list(dict.fromkeys([*scan.labels, *scan.blank_names]))


def _candidate(scan: Scan) -> str:
    """A superset of the rows non_data.non_data_checks can flag.

    Blank, comment-only and `No data` rows have no ISO date in the date column (a row whose date
    DuckDB cannot cast is always a candidate). A summary label is a summary word or starts with
    one once stripped (summary.summary_rows), and a comment starts the first cell: a cell that
    casts to a date starts with a digit, a sign, `infinity` or `epoch` once stripped, so only the
    other labels are searched, for parts of every word (SUMMARY_PARTS, a superset). A summary may
    also be blank in every name column.
    """
    parts = [_holds_a_part([f"c{p}" for p in scan.labels if p != scan.date])]
    if scan.blank_names:
        parts.append(_blank_named(scan))
    parts.append(f"TRY_CAST(c{scan.date} AS DATE) IS NULL")
    return "coalesce(" + " OR ".join(parts) + ", false)"  # contains() of a NULL label is NULL


def _blank_named(scan: Scan) -> str:
    """The row is blank in every name column (Meta's summary row; `cells.blank` is never NULL)."""
    return "(" + " AND ".join(cells.blank(f"c{p}") for p in scan.blank_names) + ")"


def _candidate_cells(scan: Scan) -> list[str]:
    """What a candidate row (`hit`) carries out of DuckDB for the Python checks; NULL on the others."""
    carried = [f"CASE WHEN hit THEN coalesce({_label(scan, p)}, '') END AS cand_{p}" for p in _checked(scan)]
    return [*carried, f"CASE WHEN hit THEN {_rest_empty(scan)} END AS cand_rest"]


def _number(scan: Scan, position: int) -> str:
    """The metric as DOUBLE: the column as DuckDB typed it, or the text cleaned (cells.number)."""
    cell = f"c{position}"
    return cell if position in scan.typed else cells.number(cell)


def _rest_empty(scan: Scan) -> str:
    """Every cell after the first empty as written (summary.empty_after_first, not stripped)."""
    cells = [f"coalesce(CAST(c{i} AS VARCHAR), '') = ''" for i in range(1, scan.width)]
    return "(" + (" AND ".join(cells) or "true") + ")"
