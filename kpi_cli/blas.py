"""One OpenBLAS thread in the `kpi` process (issue 12: the 10M-row check against DuckDB).

numpy and scipy each load their own OpenBLAS, and each starts a thread per core that spins for a
while before it sleeps, waiting for work. kpi calls no BLAS routine (no matrix product, no solve:
its statistics are sums, ufuncs, medians and scipy's special functions, `theilslopes` and
`binomtest` over a year of days), so those threads only take CPU from DuckDB's scan, which they
overlap (the imports run beside it: sources/prefetch.py): ~0.12 s of CPU and ~0.09 s of a 3.4 s
check of 10M plain rows (7 interleaved rounds, medians; `perf` put 1.6 % of the run's samples in
the two OpenBLAS libraries).

OpenBLAS reads the variable once, when it is loaded: the console script sets it before anything
imports numpy. A value the user set is kept. In-process callers (`kpi_cli.cli.main`, tests) load
numpy on their own terms and are not changed.
"""

from __future__ import annotations

from collections.abc import MutableMapping

VARIABLE = "OPENBLAS_NUM_THREADS"


def one_thread(environ: MutableMapping[str, str]) -> None:
    """OpenBLAS loads with one thread, unless the user chose a number."""
    environ.setdefault(VARIABLE, "1")
