"""Which rows of a columnar read are not data, and on which lines (the `skipped` report).

The scan (columnar.py) returns, for each group that may hold a non-data row (a summary, a comment,
a repeated header), the cells the pandas reader's checks look at (`cand_*`). These functions run
those very checks (non_data.non_data_checks) on the groups, on the first rows kpi's sniffing
parsed, or, when the skipped rows lie further down, on a second scan of the lines holding them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import columnar_sql, frame
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.non_data import non_data_checks
from kpi_cli.sources.profile import Profile
from kpi_cli.sources.values import as_text


def reasons(
    groups: pd.DataFrame,
    scan: columnar_sql.Scan,
    headers: list[str],
    profile: Profile,
    mapping: frame.ColumnMap,
) -> pd.Series:
    """Why each group is not data (None for data), by the pandas reader's own checks."""
    reasons = pd.Series(None, index=groups.index, dtype=object)
    candidates = groups["cand_rest"].notna().to_numpy()
    if candidates.any():
        reasons[candidates] = first_reasons(groups[candidates], headers, profile, mapping)
    return reasons


def first_reasons(
    rows: pd.DataFrame, headers: list[str], profile: Profile, mapping: frame.ColumnMap
) -> list[str | None]:
    def text(position: int) -> np.ndarray:
        return as_text(rows[f"cand_{position}"].fillna(""))

    rest_empty = rows["cand_rest"].to_numpy(dtype=bool)
    found: list[str | None] = [None] * len(rows)
    for reason, mask in non_data_checks(text, rest_empty, headers, profile, mapping):
        for index in np.flatnonzero(mask):
            found[index] = found[index] or reason
    return found


def skipped_in_sample(
    sample: list[tuple[int, list[str]]],
    scan: columnar_sql.Scan,
    headers: list[str],
    profile: Profile,
    mapping: frame.ColumnMap,
) -> list[Skipped]:
    """The skipped rows among the first rows kpi's sniffing parsed, by the same checks.

    When there are as many as the groups say (Meta's summary row is the first), these are all of
    them and no second scan is needed (it cost ~0.1 s and a connection on Meta 1M); otherwise
    `skipped_lines` finds them in the file.
    """
    cells = {
        f"cand_{p}": [fields[p] if p < len(fields) else "" for _, fields in sample]
        for p in columnar_sql._checked(scan)
    }
    rest = [all(cell == "" for cell in fields[1 : scan.width]) for _, fields in sample]
    reasons = first_reasons(pd.DataFrame({**cells, "cand_rest": rest}), headers, profile, mapping)
    return [Skipped(line, reason) for (line, _), reason in zip(sample, reasons, strict=True) if reason]


def skipped_lines(
    scan_path: Path,
    scan: columnar_sql.Scan,
    headers: list[str],
    profile: Profile,
    mapping: frame.ColumnMap,
    body_line: int,
    skipped_groups: pd.DataFrame,
    *,
    connect: Callable[[], Any],
) -> list[Skipped]:
    """The lines of the skipped rows: a second scan of the rows with a skipped group's key.

    One thread and insertion order make row_number() the record's index. `connect` opens a
    connection as the scan's own (columnar._connect: its memory limit and spill folder).
    """
    names = [c for c in skipped_groups.columns if c.startswith("cand_")]
    keys = skipped_groups[names].drop_duplicates()
    sql = columnar_sql.skipped_rows(
        scan,
        [
            {n: (bool(v) if n == "cand_rest" else v) for n, v in zip(names, key, strict=True)}
            for key in keys.itertuples(index=False)
        ],
        int(skipped_groups["n_rows"].sum()),
    )
    connection = connect()
    try:
        connection.execute("SET threads = 1")
        connection.execute("SET preserve_insertion_order = true")
        rows = connection.execute(sql, [str(scan_path)]).df()
    finally:
        connection.close()
    reasons = first_reasons(rows, headers, profile, mapping)
    numbers = rows["row_number"].to_numpy(dtype=np.int64)
    return [Skipped(body_line + int(n) - 1, r) for n, r in zip(numbers, reasons, strict=True) if r]
