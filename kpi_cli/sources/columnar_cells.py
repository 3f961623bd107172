"""SQL expressions about one cell of the columnar scan (columnar_sql.py builds the query from them).

Each decides what the pandas reader decides of the same cell, or less: whether a metric cell is a
number and its value (`number`: a plain number, a null token, or grouped by thousands), whether a
name is blank once stripped as Python strips (`blank`), and what an unread column's cell would be
(`unread_value`, `unread_kind`). Their spellings and ranges are checked against the pandas path's
by tests/columnar (test_meta_scan.py, test_meta_grouped.py, test_scan_sql.py).
"""

from __future__ import annotations

from kpi_cli.sources.values import NULL_SPELLINGS

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
BLANK_FIRST = ((0x00, STRIPPED_RANGES[1][1]), (STRIPPED_RANGES[2][0], STRIPPED_RANGES[-1][1]))
# Every character Python's str.strip removes (np.strings.strip on the pandas path): ASCII space,
# \t \n \v \f \r, the separators \x1c-\x1f, NEL and Unicode's Z category (NBSP, ideographic space).
_NOT_SPACE = r"[^\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
_SPACE = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
# Characters no cell values.numbers_from_text reads as a number holds: a percent (a rate), and any
# ASCII letter but an exponent's `e` and the abbreviations' `k`, `m`, `b` (`inf`, `nan` spelt
# otherwise than a null token are not finite: unreadable there too).
_NEVER_IN_A_NUMBER = "[%ACDF-JLN-Zacdf-jln-z]"
# The kinds of an unread cell (unread_kind).
NUMBER, TEXT, UNDECIDED = 0, 1, 2
# A cell DuckDB's DOUBLE parser and the pandas reader read alike (values._all_plain); RE2's `\s` is
# ASCII only, so a cell padded with other spaces is not plain here and the pandas reader reads it.
PLAIN_NUMBER = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"
_GROUPED = r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
# The one GLOB pattern a whole number grouped by thousands without sign, fraction or spaces can
# match at each length in bytes (`441,772`: 7 -> `[0-9][0-9][0-9],[0-9][0-9][0-9]`; '' at the
# lengths none has): `number` tries it before `_GROUPED`'s regular expression, which it accepts
# a part of. Up to 27 bytes (21 digits, past any count); a longer cell goes to the regular expression.
GROUPED_SHAPES = tuple(
    "[0-9]" * (length % 4) + ",[0-9][0-9][0-9]" * (length // 4) if length % 4 and length // 4 else ""
    for length in range(1, 28)
)
# What `number` makes of a cell the pandas reader refuses: NaN poisons its group's sum.
NAN = "CAST('NaN' AS DOUBLE)"


def blank(cell: str) -> str:
    """Empty once stripped as Python strips: the regular expression only where a space may come first.

    `c < a` and `c >= a AND c < b` look at the first code point only (DuckDB orders strings by their
    UTF-8 bytes, which is code point order). Every stripped code point (STRIPPED_RANGES) is below
    `!` or in [NEL, U+3001): a name starting with anything else (an ASCII letter or digit, kana,
    kanji) is not blank, and the regular expression decides the rest. Two comparisons for most
    names; one per range (twenty) cost 3.6x the instructions on Meta's campaign names (callgrind).
    """
    return (
        f"(CASE WHEN {cell} IS NULL THEN true "
        f"WHEN {cell} < {literal(chr(BLANK_FIRST[0][1]))} "
        f"OR ({cell} >= {literal(chr(BLANK_FIRST[1][0]))} AND {cell} < {literal(chr(BLANK_FIRST[1][1]))}) "
        f"THEN NOT regexp_matches({cell}, '{_NOT_SPACE}') ELSE false END)"
    )


def number(cell: str) -> str:
    """The metric cell as DOUBLE: cast, or (with commas) cast once grouping is checked.

    An empty cell or a null token (`--`, `N/A`) is NULL; a cell the pandas reader refuses is NaN,
    which makes its group's sum NaN (`grouped`). `nan` and `inf` cast to NaN and infinity: the
    sum flags them too, as the pandas reader names them. A failed cast is costly, so a cell with a
    comma goes straight to the grouping check, and the null tokens are looked up only where the
    cast failed (COALESCE evaluates its second argument only on the rows the first left NULL).
    `trim` strips spaces only, so the pattern allows spaces around rather than trimming each cell.
    Most grouped cells (Meta writes `441,772`) are whole numbers: one GLOB of their length's shape
    (GROUPED_SHAPES, ~30 ns a cell) accepts them before `contains` and RE2 (~55 ns) are asked.
    """
    grouped = f"TRY_CAST(replace({cell}, ',', '') AS DOUBLE)"
    shapes = f"[{', '.join(literal(shape) for shape in GROUPED_SHAPES)}]"
    return (
        f"CASE WHEN {cell} GLOB list_element({shapes}, strlen({cell})) THEN {grouped} "
        f"WHEN contains({cell}, ',') THEN (CASE WHEN regexp_full_match({cell}, ' *{_GROUPED} *') "
        f"THEN {grouped} ELSE {NAN} END) "
        f"ELSE coalesce(TRY_CAST({cell} AS DOUBLE), CASE WHEN {cell} IS NULL OR trim({cell}) IN ({nulls()}) "
        f"THEN NULL ELSE {NAN} END) END"
    )


def unread_value(position: int) -> str:
    """An unread cell as DOUBLE when it is a plain or grouped number (`12`, `-1.5`, `5,044,003`)."""
    cell = f"c{position}"
    return (
        f"CASE WHEN regexp_full_match({cell}, {literal(PLAIN_NUMBER)}) THEN TRY_CAST({cell} AS DOUBLE) "
        f"WHEN contains({cell}, ',') AND regexp_full_match(trim({cell}), '{_GROUPED}') "
        f"THEN TRY_CAST(replace({cell}, ',', '') AS DOUBLE) END"
    )


def unread_kind(position: int) -> str:
    """What values.numbers_from_text makes of an unread cell: NUMBER (a finite number, or empty or a
    null token once stripped as Python strips), TEXT (never a number there: a letter no number or
    abbreviation holds, a `%`, or past the float range) or UNDECIDED (a currency, `1.2K`, `１２`...:
    the caller hands the file to the pandas reader)."""
    cell, value = f"c{position}", f"v_{position}"
    stripped = f"regexp_replace({cell}, '^{_SPACE}+|{_SPACE}+$', '', 'g')"
    return (
        f"CASE WHEN {cell} IS NULL THEN {NUMBER} "
        f"WHEN {value} IS NOT NULL THEN (CASE WHEN isinf({value}) THEN {TEXT} ELSE {NUMBER} END) "
        f"WHEN {stripped} IN ({nulls()}) THEN {NUMBER} "
        f"WHEN regexp_matches({cell}, '{_NEVER_IN_A_NUMBER}') THEN {TEXT} ELSE {UNDECIDED} END"
    )


def nulls() -> str:
    return ", ".join(literal(token) for token in NULL_SPELLINGS)


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
