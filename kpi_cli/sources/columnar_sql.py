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
from kpi_cli.sources.dates import ISO_DATE_TIME
from kpi_cli.sources.timed import SHAPES
from kpi_cli.sources.values import NULL_SPELLINGS

# Parts of every spelling summary.py matches (`total`, `Total`, `TOTAL`, `Grand total`, `Total:
# Account`, `summary`, `総合計`, and `NaN`, which values.spellings adds to every word list) and
# of a comment (`#`): `contains` over them flags a superset of its rows, and is cheaper than
# lower-casing every label or a regular expression. tests/columnar checks they cover summary.py.
SUMMARY_PARTS = ("#", "otal", "OTAL", "ummary", "UMMARY", "NaN", "合計", "総計", "全体", "小計")
# The code points Python's str.strip removes (str.isspace; np.strings.strip on the pandas path), as
# [start, end) ranges: a label that starts with one may hold a summary word after them.
STRIPPED_RANGES = (
    (0x09, 0x0E),
    (0x1C, 0x21),
    (0x85, 0x86),
    (0xA0, 0xA1),
    (0x1680, 0x1681),
    (0x2000, 0x200B),
    (0x2028, 0x202A),
    (0x202F, 0x2030),
    (0x205F, 0x2060),
    (0x3000, 0x3001),
)
# Where a cell that starts with a stripped code point starts: [0, `!`) and [NEL, U+3001), covering
# STRIPPED_RANGES (tests/columnar/test_meta_scan.py checks it); `_blank` runs its regular
# expression only on cells starting there (an empty cell too: '' sorts before `!`).
_BLANK_FIRST = ((0x00, STRIPPED_RANGES[1][1]), (STRIPPED_RANGES[2][0], STRIPPED_RANGES[-1][1]))
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
# The one GLOB pattern a whole number grouped by thousands without sign, fraction or spaces can
# match at each length in bytes (`441,772`: 7 -> `[0-9][0-9][0-9],[0-9][0-9][0-9]`; '' at the
# lengths none has): `_number` tries it before `_GROUPED`'s regular expression, which it accepts
# a part of. Up to 27 bytes (21 digits, past any count); a longer cell goes to the regular expression.
GROUPED_SHAPES = tuple(
    "[0-9]" * (length % 4) + ",[0-9][0-9][0-9]" * (length // 4) if length % 4 and length // 4 else ""
    for length in range(1, 28)
)
# Metrics that may be negative (frame.SIGNED_METRICS): net follower change and money.
_SIGNED = frozenset({"followers"}) | MONEY
# What `_number` makes of a cell the pandas reader refuses: NaN poisons its group's sum.
_NAN = "CAST('NaN' AS DOUBLE)"


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
        f"delim = {_literal(scan.delimiter)}, quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, null_padding = true)"
    )


def grouped(scan: Scan) -> str:
    """One row per date, date end, grain value and candidate key, with the sums and `bad`.

    `bad`: the group holds a cell the pandas reader would refuse or read otherwise. It is decided
    on the group's sums, not cell by cell: an unreadable cell is NaN (`_number`), and NaN or an
    infinity makes the sum NaN or infinite; only the sign needs a look at each cell, in one filter.
    """
    keys = _keys(scan)
    keys += [f"CASE WHEN hit THEN coalesce({_label(scan, p)}, '') END AS cand_{p}" for p in _checked(scan)]
    keys.append(f"CASE WHEN hit THEN {_rest_empty(scan)} END AS cand_rest")
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
    """`grouped` without a look at each row for a summary, for files that have none (most).

    The same scan groups the rows by the keys (the data groups: every `cand_` column NULL) and
    lists the distinct values of each label outside the keys: `suspect`, on every row, says a label
    value, a key or a date that does not cast could make a row a candidate; the caller then runs
    `grouped`. Searching every row's labels cost about a quarter of a plain file's scan; grouping
    by each label costs little when the label groups carry no sums (`_label_sets`).
    """
    return _by_labels(scan, None)


def by_labels_and_months(scan: Scan, monthly: Monthly) -> str:
    """`by_labels`, and from the same shared scan one dimension's sums by month (`label_set` 2:
    `m_value`, `m_month` as `YYYY-MM`, `n_rows` and a sum per metric), for a `--by` review whose
    views read only monthly sums: the day groups then leave that dimension out. DuckDB 2 on only
    (`_streams_shared_scans`); the caller checks that first."""
    return _by_labels(scan, monthly)


def _by_labels(scan: Scan, monthly: Monthly | None) -> str:
    keys = _keys(scan)
    key_names = _names(keys)
    grain = {p: f"k_{name}" for name, p in scan.grain.items()}
    # The monthly dimension's values are each listed by its months (`m_value`), not a label set.
    apart = {monthly.position} if monthly is not None else set()
    labels = [p for p in scan.labels if p != scan.date and p not in grain and p not in apart]
    cells, sums, bad = _measures(scan)
    carried = [f"c{monthly.position} AS m_value"] if monthly is not None else []
    rows = _rows(scan, [*keys, *(f"c{p} AS l_{p}" for p in labels), *carried, *cells], source(scan))
    named = [grain[p] for p in scan.labels if p in grain]
    label_names = [f"l_{p}" for p in labels]
    listed = f"WHEN label_set = 2 THEN {_holds_a_part(['m_value'])} " if monthly is not None else ""
    suspect = (
        f"CASE WHEN label_set = 0 THEN (TRY_CAST(k_date AS DATE) IS NULL OR {_holds_a_part(named)}) "
        f"{listed}ELSE {_holds_a_part(label_names)} END"
    )
    placeholders = [f"CAST(NULL AS VARCHAR) AS cand_{p}" for p in _checked(scan)]
    sets = _label_sets(rows, key_names, label_names, sums)
    excluded, kept = [*label_names, "label_set"], "label_set = 0"
    if monthly is not None:  # label_set stays: the caller splits the day groups from the months
        sets = f"{sets} UNION ALL BY NAME {_months(scan, monthly)}"
        excluded, kept = label_names, "label_set IN (0, 2)"
    exclude = f" EXCLUDE ({', '.join(excluded)})" if excluded else ""  # a file with no other label
    return (
        f"SELECT *{exclude}, "
        f"{', '.join([*placeholders, 'CAST(NULL AS BOOLEAN) AS cand_rest'])} "
        f"FROM (SELECT *, ({bad}) AS bad, bool_or(coalesce({suspect}, false)) OVER () AS suspect "
        f"FROM ({sets})) WHERE {kept}"
    )


def _months(scan: Scan, monthly: Monthly) -> str:
    """The dimension's sums by month from the shared scan `body` (`_label_sets` names it)."""
    sums = ", ".join(["count(*) AS n_rows", *(f"sum(n_{m}) AS {m}" for m in scan.metrics)])
    month = "left(k_date, 7)"
    if monthly.through is not None:  # later rows: a month of their own (NULL), dropped by the caller
        month = f"CASE WHEN k_date <= {_literal(monthly.through)} THEN {month} END"
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
        f"WHEN regexp_full_match({cell}, {_literal(shape.pattern)}) "
        f"THEN regexp_replace({cell}, {_literal(f'^{shape.pattern}$')}, {_literal(shape.key(day))})"
        for shape in SHAPES
    )
    return f"CASE WHEN regexp_full_match({cell}, {_literal(ISO_DATE_TIME)}) THEN left({cell}, 10) {shapes} ELSE {cell} END"


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
    unread = [f"c{p}, {_unread_value(p)} AS v_{p}" for p in scan.unread]
    sums = ["count(*) AS n_rows", *(f"sum(n_{m}) AS {m}" for m in scan.metrics)]
    # The lowest unsigned cell of the group, not a count of negative ones: `count(*) FILTER (WHERE
    # n_a < 0 OR n_b < 0 ...)` cost ~0.7 s of CPU on 10M plain rows, one `least` per row ~0.
    # `least` skips NULLs and orders NaN above every number, as `< 0` never holds for either.
    unsigned = [f"n_{m}" for m in scan.metrics if m not in _SIGNED]
    sums.append(f"min(least({', '.join(unsigned)})) AS n_lowest" if unsigned else "NULL AS n_lowest")
    # fsum (compensated): `inspect` shows 6 decimals, and a plain sum over 2M cents-valued cells
    # drifted there from the pandas reader's pairwise sum (528554414.619963 against .62).
    sums += [
        f"fsum(v_{p}) AS u_{p}, count(v_{p}) AS un_{p}, count(*) FILTER (WHERE w_{p} = {TEXT}) AS ut_{p}, "
        f"count(*) FILTER (WHERE w_{p} = {UNDECIDED}) AS ub_{p}"
        for p in scan.unread
    ]
    not_finite = [f"coalesce(isnan({m}) OR isinf({m}), false)" for m in scan.metrics]
    return [*numbers, *unread], ", ".join(sums), " OR ".join([*not_finite, "coalesce(n_lowest < 0, false)"])


def _rows(scan: Scan, selected: list[str], source_rows: str) -> str:
    """Each row's keys and cells, with the kinds of its unread cells (`_unread_kind`)."""
    rows = f"SELECT {', '.join(selected)} FROM {source_rows}"
    kinds = "".join(f", {_unread_kind(p)} AS w_{p}" for p in scan.unread)
    return f"SELECT *{kinds} FROM ({rows})" if kinds else rows


def _holds_a_part(cells: list[str]) -> str:
    """Any of the cells holds a part of a summary word (SUMMARY_PARTS); false for none."""
    if not cells:
        return "false"
    text = cells[0] if len(cells) == 1 else f"concat_ws(' ', {', '.join(cells)})"
    return (
        "coalesce("
        + " OR ".join(f"contains({text}, {_literal(part)})" for part in SUMMARY_PARTS)
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
    return ("true" if value else "false") if isinstance(value, bool) else _literal(str(value))


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
        parts.append("(" + " AND ".join(_blank(f"c{p}") for p in scan.blank_names) + ")")
    parts.append(f"TRY_CAST(c{scan.date} AS DATE) IS NULL")
    return "coalesce(" + " OR ".join(parts) + ", false)"  # contains() of a NULL label is NULL


def _blank(cell: str) -> str:
    """Empty once stripped as Python strips: the regular expression only where a space may come first.

    `c < a` and `c >= a AND c < b` look at the first code point only (DuckDB orders strings by their
    UTF-8 bytes, which is code point order). Every stripped code point (STRIPPED_RANGES) is below
    `!` or in [NEL, U+3001): a name starting with anything else (an ASCII letter or digit, kana,
    kanji) is not blank, and the regular expression decides the rest. Two comparisons for most
    names; one per range (twenty) cost 3.6x the instructions on Meta's campaign names (callgrind).
    """
    return (
        f"(CASE WHEN {cell} IS NULL THEN true "
        f"WHEN {cell} < {_literal(chr(_BLANK_FIRST[0][1]))} "
        f"OR ({cell} >= {_literal(chr(_BLANK_FIRST[1][0]))} AND {cell} < {_literal(chr(_BLANK_FIRST[1][1]))}) "
        f"THEN NOT regexp_matches({cell}, '{_NOT_SPACE}') ELSE false END)"
    )


def _rest_empty(scan: Scan) -> str:
    """Every cell after the first empty as written (summary.empty_after_first, not stripped)."""
    cells = [f"coalesce(CAST(c{i} AS VARCHAR), '') = ''" for i in range(1, scan.width)]
    return "(" + (" AND ".join(cells) or "true") + ")"


def _number(scan: Scan, position: int) -> str:
    """The metric as DOUBLE: scanned typed, or cast, or (with commas) cast once grouping is checked.

    An empty cell or a null token (`--`, `N/A`) is NULL; a cell the pandas reader refuses is NaN,
    which makes its group's sum NaN (`grouped`). `nan` and `inf` cast to NaN and infinity: the
    sum flags them too, as the pandas reader names them. A failed cast is costly, so a cell with a
    comma goes straight to the grouping check, and the null tokens are looked up only where the
    cast failed (COALESCE evaluates its second argument only on the rows the first left NULL).
    `trim` strips spaces only, so the pattern allows spaces around rather than trimming each cell.
    Most grouped cells (Meta writes `441,772`) are whole numbers: one GLOB of their length's shape
    (GROUPED_SHAPES, ~30 ns a cell) accepts them before `contains` and RE2 (~55 ns) are asked.
    """
    cell = f"c{position}"
    if position in scan.typed:
        return cell
    grouped = f"TRY_CAST(replace({cell}, ',', '') AS DOUBLE)"
    shapes = f"[{', '.join(_literal(shape) for shape in GROUPED_SHAPES)}]"
    return (
        f"CASE WHEN {cell} GLOB list_element({shapes}, strlen({cell})) THEN {grouped} "
        f"WHEN contains({cell}, ',') THEN (CASE WHEN regexp_full_match({cell}, ' *{_GROUPED} *') "
        f"THEN {grouped} ELSE {_NAN} END) "
        f"ELSE coalesce(TRY_CAST({cell} AS DOUBLE), CASE WHEN {cell} IS NULL OR trim({cell}) IN ({_nulls()}) "
        f"THEN NULL ELSE {_NAN} END) END"
    )


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
