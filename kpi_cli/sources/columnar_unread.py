"""The unread columns' sums on the columnar path (`inspect`, `validate`; see unmapped.py).

DuckDB sums each unread column over the data groups (columnar_sql._unread_kind classifies the
cells); the list here is unmapped.unmapped_columns' own, with the same sums: a column with a text
cell has none (one unreadable cell is enough there too), and one with a cell only the pandas
reader can read or not (a currency, `1.2K`) sends the whole file back to that reader.
"""

from __future__ import annotations

from kpi_cli.lazy_pandas import np, pd
from kpi_cli.sources import frame
from kpi_cli.sources.export import Unmapped
from kpi_cli.sources.unmapped import is_identifier


def summable(headers: list[str], mapping: frame.ColumnMap) -> tuple[int, ...]:
    """The unread columns unmapped_columns would sum (identifiers never are)."""
    used = mapping.used()
    return tuple(p for p, h in enumerate(headers) if p not in used and not is_identifier(h))


def unmapped(
    headers: list[str], mapping: frame.ColumnMap, data: pd.DataFrame, unread: tuple[int, ...]
) -> list[Unmapped] | None:
    """Every unread column with its sum over the data groups `data`; None: the pandas reader must read it."""
    sums: dict[int, float | None] = {}
    for position in unread:
        if int(data[f"ut_{position}"].sum()):
            sums[position] = None
        elif int(data[f"ub_{position}"].sum()):
            return None
        elif int(data[f"un_{position}"].sum()):
            sums[position] = float(np.nansum(data[f"u_{position}"].to_numpy(dtype=np.float64)))
        else:  # every cell empty or a null token
            sums[position] = None
    used = mapping.used()
    return [Unmapped(h, sums.get(p)) for p, h in enumerate(headers) if p not in used]
