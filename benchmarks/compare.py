"""Hand-run (not in the test suite): `kpi check` against DuckDB, pandas and polars on the same files.

    python benchmarks/compare.py DIR [--set 1m|10m|all] [--runs 3] [--kpi-runs 3] [--timeout 600]
                                     [--baseline CHECKOUT] [--engines duckdb,pandas,polars]

For each benchmark file (written into DIR by benchmarks/generate.py when missing), in one run and
interleaved (kpi, DuckDB, pandas, polars, then again) so that a drifting machine slows all alike:
the whole `kpi check` process against a process computing the same monthly sums with the same
cleaning in each engine (benchmarks/reference_sums.py). Each figure is the median of the runs;
peak memory is each child's own peak RSS (os.wait4). Prints a Markdown table for the README, and
checks that every engine's sums equal kpi's (`kpi check --format json`: each KPI's actual for the
reviewed month, per campaign with `--by campaign`, and the KGI's actual over the year).
polars is skipped when it is not installed (`pip install -e ".[bench]"`). `--baseline` runs a
second `kpi check` from another checkout (`git archive COMMIT | tar -x -C DIR`) in the same rounds,
shown as `kpi before`: a change's before and after on the same machine load.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path
from typing import Any

import generate
import measure
from layouts import AS_OF, KPI_METRICS, REVIEWED_MONTH

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
SETS = {"1m": generate.STANDARD, "10m": generate.LARGE, "all": (*generate.STANDARD, *generate.LARGE)}
BEFORE = "kpi before"  # the --baseline checkout's kpi check
TOLERANCE = 1e-9  # relative: float sums in another order may differ in the last bits


def kpi_command(dataset: generate.Dataset) -> list[str]:
    command = [sys.executable, "-m", "kpi_cli", "check", "-c", str(dataset.config), "--as-of", AS_OF]
    command += ["--format", "json", "--fail-on", "never"]
    return command + (["--by", "campaign"] if dataset.kind == "campaigns" else [])


ENGINES = ("duckdb", "pandas", "polars")
# `--engines duckdb` leaves pandas out (12 s a run at 10M rows) when only the ratio to DuckDB is asked.
_chosen: list[str] = list(ENGINES)


def engines() -> list[str]:
    return [e for e in _chosen if importlib.util.find_spec(e) is not None]


def bench(
    dataset: generate.Dataset, runs: int, kpi_runs: int, timeout: float, baseline: Path | None = None
) -> dict[str, Any]:
    roots = {"kpi": ROOT} | ({BEFORE: baseline} if baseline else {})  # whose kpi_cli each kpi runs
    commands = {"kpi": kpi_command(dataset)} | ({BEFORE: kpi_command(dataset)} if baseline else {})
    for engine in engines():
        commands[engine] = [
            sys.executable,
            str(HERE / "reference_sums.py"),
            engine,
            dataset.kind,
            str(dataset.csv),
        ]
    results: dict[str, list[measure.Run]] = {name: [] for name in commands}
    kpis = {"kpi", BEFORE}
    for round_ in range(max(runs, kpi_runs)):
        for name, command in commands.items():
            if round_ >= (kpi_runs if name in kpis else runs):
                continue
            if name in kpis and results[name] and results[name][-1].timed_out:
                continue  # one timeout says enough
            root = roots.get(name, ROOT)
            env = measure.kpi_environment(root)  # this checkout's kpi_cli, whatever is installed
            run = measure.run(command, timeout=timeout, cwd=root, env=env)
            if run.returncode != 0 and not run.timed_out:
                raise SystemExit(f"{name} failed on {dataset.csv}:\n{run.stderr[-2000:]}")
            results[name].append(run)
            print(f"  {dataset.csv.name} {name}: {run.wall:.2f} s, {run.peak_mib:,.0f} MiB", file=sys.stderr)
    summaries = {name: measure.summarise(r, timeout) for name, r in results.items()}
    kpi_report = next((json.loads(r.stdout) for r in results["kpi"] if not r.timed_out), None)
    checks = {
        name: check_sums(dataset, kpi_report, json.loads(r[0].stdout))
        for name, r in results.items()
        if name not in kpis
    }
    return {"dataset": dataset, "summaries": summaries, "checks": checks}


def check_sums(dataset: generate.Dataset, kpi: dict[str, Any] | None, reference: dict[str, Any]) -> str:
    """`same` when every KPI actual kpi reported equals the engine's sum; else what differs."""
    if kpi is None:
        return "kpi did not finish"
    expected: list[tuple[str, float | None, float | None]] = []
    month = reference["months"][REVIEWED_MONTH]
    for view in kpi["kpis"]:
        metric, segment = view["metric"], view["segment"]
        wanted = month[metric] if segment is None else reference["by"].get(segment, {}).get(metric)
        expected.append((f"{metric}[{segment or 'all'}]", view["actual"], wanted))
    year = [m[kpi["kgi"]["metric"]] for m in reference["months"].values()]
    expected.append(("kgi", kpi["kgi"]["actual"], math.fsum(v for v in year if v is not None)))
    wrong = [f"{n}: kpi {a} vs {b}" for n, a, b in expected if not _same(a, b)]
    if wrong:
        return f"DIFFERENT ({len(wrong)}): " + "; ".join(wrong[:3])
    return f"same ({len(expected)} values)"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=TOLERANCE)


def table(results: list[dict[str, Any]]) -> str:
    before = [BEFORE] if results and BEFORE in results[0]["summaries"] else []
    names = [*before, "kpi", *engines()]
    head = ["file", "rows", "MB"] + [f"{n} s (cpu)" for n in names]
    pandas = ["pandas"] if "pandas" in names else []
    head += [f"{n}/DuckDB" for n in before] + ["kpi/DuckDB"] + [f"kpi/{n}" for n in pandas]
    head += [f"{n} MiB" for n in names] + ["sums"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for result in results:
        dataset, s = result["dataset"], result["summaries"]
        label = dataset.kind + (" --by campaign" if dataset.kind == "campaigns" else "")
        cells = [label, f"{dataset.rows:,}", f"{dataset.csv.stat().st_size / 1e6:.0f}"]
        cells += [s[n].wall_text() for n in names]
        cells += [measure.ratio(s[n], s["duckdb"]) for n in before]
        cells += [measure.ratio(s["kpi"], s["duckdb"])] + [measure.ratio(s["kpi"], s[n]) for n in pandas]
        cells += [s[n].peak_text() for n in names]
        cells.append("; ".join(f"{n}: {c}" for n, c in result["checks"].items()))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--set", choices=sorted(SETS), default="1m")
    parser.add_argument("--only", help="comma-separated kinds (plain, meta, campaigns, events)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each reference engine")
    parser.add_argument("--kpi-runs", type=int, default=3, help="runs of kpi check")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is killed")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout whose kpi check runs too (kpi before)"
    )
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated reference engines (duckdb first)"
    )
    args = parser.parse_args()
    _chosen[:] = [e for e in args.engines.split(",") if e in ENGINES]
    if "duckdb" not in _chosen:
        parser.error("--engines must include duckdb: every ratio is to DuckDB")
    only = set(args.only.split(",")) if args.only else set(KPI_METRICS)
    results = []
    for kind, rows in SETS[args.set]:
        if kind in only:
            dataset = generate.write(args.directory, kind, rows)
            results.append(bench(dataset, args.runs, args.kpi_runs, args.timeout, args.baseline))
    print(
        f"median of {args.runs} runs ({args.kpi_runs} of kpi): wall s (user+sys CPU s); peak RSS of each process"
    )
    print(table(results))


if __name__ == "__main__":
    main()
