"""Hand-run (not in the test suite): kpi's fixed start-up cost against DuckDB's (issue 12).

    python benchmarks/startup.py [--runs 5] [--no-bytecode-cache] [--before DIR]

Every issue-12 speed target is a ratio against DuckDB's whole process, whose fixed part is
`python -c "import duckdb"`; what kpi pays before it reads a row counts against it. Timed here,
interleaved in one run (medians, wall with CPU in brackets, each child's own peak RSS):
- `kpi check` of the SaaS sample (`configs/saas_leadgen.yaml`, tiny files: all start-up);
- `kpi validate` of the same config, `kpi platforms`, `kpi --help`;
- `kpi check` of a 1,000-row event log through the event mapping (benchmarks/by_and_events.py's
  config, `platform: events`): the fixed part of the 10M-row event target;
- the peer, `python -c "import duckdb"`, and for scale `python -c "import pandas, scipy.special"`
  (the floor of a check whose rules compute: pandas holds the frame, scipy.special the tails).

Bytecode: an installed package has its `.pyc` files (pip compiles them), so by default every
command runs with `PYTHONPYCACHEPREFIX` pointing at a temporary folder (nothing is written into
the project) and one untimed warm-up run fills it. `--no-bytecode-cache` keeps the caller's
environment (with `PYTHONDONTWRITEBYTECODE=1` every kpi module is compiled on every run: ~0.15-0.3 s).
The run history goes to a temporary file too (`--history`), never to `configs/.kpi/`.
`--before DIR`: also time the kpi commands of another copy of the source tree (e.g. `git archive
<commit> | tar -x -C DIR`), interleaved with these, for a before/after table from one run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import by_and_events
import generate
import measure

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "configs" / "saas_leadgen.yaml"
PEER = "duckdb"


def peers() -> dict[str, list[str]]:
    return {
        PEER: [sys.executable, "-c", "import duckdb"],
        "pandas+scipy.special": [sys.executable, "-c", "import pandas, scipy.special"],
    }


def kpi_commands(history: Path, events: Path) -> dict[str, list[str]]:
    kpi = [sys.executable, "-m", "kpi_cli"]
    return {
        "kpi check, events 1k": by_and_events.kpi(events),
        "kpi check": [
            *kpi,
            *("check", "-c", str(SAMPLE), "--as-of", "2026-11-20", "--fail-on", "never"),
            *("--history", str(history)),
        ],
        "kpi validate": [*kpi, "validate", "-c", str(SAMPLE)],
        "kpi platforms": [*kpi, "platforms"],
        "kpi --help": [*kpi, "--help"],
    }


def environment(pycache: Path | None, root: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--no-bytecode-cache", action="store_true", help="keep the caller's environment")
    parser.add_argument("--before", type=Path, help="another source tree to time the same kpi commands of")
    args = parser.parse_args()
    trees = {"": ROOT, **({"before: ": args.before.resolve()} if args.before else {})}
    with tempfile.TemporaryDirectory(prefix="kpi-startup-") as scratch:
        folder = Path(scratch)
        todo: dict[str, tuple[list[str], Path]] = {name: (c, ROOT) for name, c in peers().items()}
        events = by_and_events.mapped_config(generate.write(folder, "events", 1000))
        for label, root in trees.items():
            history = folder / f"history{len(todo)}.sqlite"
            todo |= {label + name: (c, root) for name, c in kpi_commands(history, events).items()}
        caches = {
            root: None if args.no_bytecode_cache else folder / f"pycache{i}"
            for i, root in enumerate(trees.values())
        }
        results: dict[str, list[measure.Run]] = {name: [] for name in todo}
        for warm_up in (True, *[False] * args.runs):  # first: bytecode, history file, page cache
            for name, (command, root) in todo.items():
                env = environment(caches[root], root)
                run = measure.run(command, timeout=args.timeout, cwd=root, env=env)
                if run.returncode != 0:
                    raise SystemExit(f"{name} exited {run.returncode}:\n{run.stderr[-2000:]}")
                if not warm_up:
                    results[name].append(run)
    load = os.getloadavg()
    summaries = {name: measure.summarise(runs, args.timeout) for name, runs in results.items()}
    print(f"median of {args.runs}, interleaved; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("| command | wall s (CPU) | / DuckDB import | peak MiB |")
    print("|---|---|---|---|")
    for name, summary in summaries.items():
        relative = "1" if name == PEER else measure.ratio(summary, summaries[PEER])
        wall = f"{summary.wall:.2f} ({summary.cpu:.2f})" if summary.wall and summary.cpu else "-"
        print(f"| {name} | {wall} | {relative} | {summary.peak_text()} |")


if __name__ == "__main__":
    main()
