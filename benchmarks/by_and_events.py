"""Hand-run (not in the test suite): issue 12's `--by` and event-log targets, each in one run.

    python benchmarks/by_and_events.py DIR [--only by,events] [--rows 10000000] [--runs 3] [--before SRC]

- `by`: `kpi check --by campaign` against the plain `kpi check` on the same 10,000-campaign file
  (DIR/campaigns_1m.csv); the target is within 3x. With `--before SRC` (a directory holding another
  version's `kpi_cli`, e.g. `git archive main kpi_cli | tar -x -C SRC`), that version's
  `--by campaign` runs interleaved too, and its JSON report must equal this one's byte for byte.
- `events`: `kpi check` on the event log through the event mapping (`platform: events`, each event
  value counted as its canonical metric: a config written beside DIR/events_<N>m.csv) against the
  same monthly sums and event counts in DuckDB and pandas (benchmarks/reference_sums.py); the
  target is within 1.5x DuckDB and under 600 MB. Every count and sum kpi reports for the reviewed
  month is checked against DuckDB's. With `--before SRC`, that version's kpi runs interleaved too,
  and its JSON report must equal this one's byte for byte.

Interleaved runs, medians, each child's own peak RSS (benchmarks/measure.py). Files come from
benchmarks/generate.py (written when missing). Prints Markdown tables for the README.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import generate
import measure
import yaml
from layouts import AS_OF, EVENTS, REVIEWED_MONTH

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# The generator's event values -> kpi's canonical metrics (README "Event-level sources").
EVENT_METRICS = dict(zip(EVENTS, ("impressions", "clicks", "leads", "customers"), strict=True))


def kpi(config: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "kpi_cli", "check", "-c", str(config), "--as-of", AS_OF]
    return [*command, "--format", "json", "--fail-on", "never", "--no-history", *extra]


def mapped_config(dataset: generate.Dataset) -> Path:
    """The event log's config with the event mapping: one KPI per counted event and per summed column."""
    config = yaml.safe_load(dataset.config.read_text(encoding="utf-8"))
    config["sources"] = [
        {"name": "events", "path": dataset.csv.name, "platform": "events", "events": EVENT_METRICS}
    ]
    template = config["kpis"][0]
    extra = [{**template, "id": m, "metric": m, "primary": False} for m in EVENT_METRICS.values()]
    config["kpis"] = [*config["kpis"], *extra]
    path = dataset.config.with_name(dataset.config.stem + ".mapped.yaml")
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def interleaved(
    commands: dict[str, list[str]], runs: int, timeout: float, sources: dict[str, Path] | None = None
) -> dict[str, list[measure.Run]]:
    """Each command in turn, `runs` times; a name in `sources` runs that tree's kpi_cli (as its
    working directory, which `python -m` puts first on the path)."""
    results: dict[str, list[measure.Run]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            tree = (sources or {}).get(name, ROOT)
            env = measure.kpi_environment(tree)
            run = measure.run(command, timeout=timeout, cwd=tree, env=env)
            if run.returncode != 0 and not run.timed_out:
                raise SystemExit(f"{name} failed:\n{run.stderr[-2000:]}")
            results[name].append(run)
            print(
                f"  {name}: {run.wall:.2f} s, {run.cpu:.1f} s CPU, {run.peak_mib:,.0f} MiB", file=sys.stderr
            )
    return results


def check_events(report: dict[str, Any], reference: dict[str, Any]) -> str:
    """kpi's December figures against DuckDB's: sums of revenue and cost, and each event's count."""
    month = reference["months"][REVIEWED_MONTH]
    wanted = {"revenue": month["revenue"], "cost": month["cost"]}
    wanted |= {metric: month[f"{event}_events"] for event, metric in EVENT_METRICS.items()}
    got = {view["metric"]: view["actual"] for view in report["kpis"] if view["segment"] is None}
    wrong = [f"{m}: kpi {got.get(m)} vs {v}" for m, v in wanted.items() if not _same(got.get(m), v)]
    return f"DIFFERENT: {'; '.join(wrong)}" if wrong else f"same ({len(wanted)} values)"


def check_by(by: dict[str, Any], plain: dict[str, Any]) -> str:
    """The overall rows of `--by` equal the plain run's, and every campaign has its rows."""
    overall = {v["id"]: v["actual"] for v in by["kpis"] if v.get("campaign") is None}
    wrong = [k for k, v in ((v["id"], v["actual"]) for v in plain["kpis"]) if not _same(overall.get(k), v)]
    campaigns = len({v["campaign"] for v in by["kpis"] if v.get("campaign")})
    return f"DIFFERENT: {wrong}" if wrong else f"same overall; {campaigns:,} campaigns"


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9)


def row(label: str, results: dict[str, list[measure.Run]], base: str, timeout: float, check: str) -> str:
    summaries = {name: measure.summarise(runs, timeout) for name, runs in results.items()}
    cells = [label, *(summaries[n].wall_text() for n in results)]
    cells += [measure.ratio(summaries[n], summaries[base]) for n in results if n != base]
    cells += [summaries[n].peak_text() for n in results] + [check]
    return "| " + " | ".join(cells) + " |"


def bench_by(directory: Path, runs: int, timeout: float, before: Path | None = None) -> str:
    dataset = generate.write(directory, "campaigns", 1_000_000)
    commands = {"plain": kpi(dataset.config), "by": kpi(dataset.config, "--by", "campaign")}
    if before is not None:
        commands["before"] = commands["by"]
    results = interleaved(commands, runs, timeout, {"before": before} if before else None)
    check = check_by(json.loads(results["by"][0].stdout), json.loads(results["plain"][0].stdout))
    if before is not None:
        same = all(r.stdout == results["by"][0].stdout for r in results["before"])
        check += "; JSON " + ("byte-identical to --before" if same else "DIFFERENT from --before")
    shown = {"plain": "kpi check", "by": "--by campaign", "before": "--by before"}
    cells = ["file", *(f"{shown[n]} s (cpu)" for n in results)]
    cells += [f"{shown[n]} / plain" for n in results if n != "plain"]
    cells += [f"MiB {shown[n]}" for n in results] + ["check"]
    head = "| " + " | ".join(cells) + " |"
    body = row("campaigns 1M, 10,000 campaigns", results, "plain", timeout, check)
    return "\n".join([head, "|" + "---|" * len(cells), body])


def bench_events(directory: Path, rows: int, runs: int, timeout: float, before: Path | None = None) -> str:
    dataset = generate.write(directory, "events", rows)
    reference = [sys.executable, str(HERE / "reference_sums.py")]
    commands = {
        "duckdb": [*reference, "duckdb", "events", str(dataset.csv)],
        "kpi": kpi(mapped_config(dataset)),
        "pandas": [*reference, "pandas", "events", str(dataset.csv)],
    }
    if before is not None:  # that version's kpi on the same config, its JSON compared byte for byte
        commands["before"] = commands["kpi"]
    results = interleaved(commands, runs, timeout, {"before": before} if before else None)
    check = check_events(json.loads(results["kpi"][0].stdout), json.loads(results["duckdb"][0].stdout))
    if before is not None:
        same = all(r.stdout == results["kpi"][0].stdout for r in [*results["kpi"], *results["before"]])
        check += "; JSON " + ("byte-identical to --before" if same else "DIFFERENT from --before")
    shown = {"duckdb": "DuckDB", "kpi": "kpi", "pandas": "pandas", "before": "kpi before"}
    cells = ["file", *(f"{shown[n]} s (cpu)" for n in results)]
    cells += [f"{shown[n]}/DuckDB" for n in results if n != "duckdb"]
    cells += [f"MiB {shown[n]}" for n in results] + ["check"]
    head = "| " + " | ".join(cells) + " |"
    label = f"events {rows:,}, mapped"
    return "\n".join([head, "|" + "---|" * len(cells), row(label, results, "duckdb", timeout, check)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--only", default="by,events", help="by, events or both (comma-separated)")
    parser.add_argument("--rows", type=int, default=10_000_000, help="rows of the event log")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--before", type=Path, help="another version's source tree, timed beside --by")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    print("median of the runs: wall s (user+sys CPU s); ratios wall (CPU); peak RSS of each process")
    if "by" in wanted:
        print(bench_by(args.directory, args.runs, args.timeout, args.before))
    if "events" in wanted:
        print(bench_events(args.directory, args.rows, args.runs, args.timeout, args.before))


if __name__ == "__main__":
    main()
