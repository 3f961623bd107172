"""`--limit N`: a review split into many groups shows the top and bottom N in text, JSON keeps all."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.config.models import Config
from kpi_cli.findings import Finding, Severity, Verdict
from kpi_cli.i18n import Lang, Wording
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.render.limit import shown
from kpi_cli.review import Review, build_context, evaluate_rules

AS_OF = date(2026, 3, 31)
# Campaign cN has N * 10 leads on each day of January to March: c1 lowest, c6 highest.
LEADS = {f"c{n}": n * 10 for n in range(1, 7)}
CONFIG = {
    "version": 1,
    "name": "limit",
    "sources": [{"name": "s", "path": "rows.csv"}],
    "kgi": {"name": "k", "metric": "leads", "target": 1, "start": "2026-01-01", "deadline": "2026-12-31"},
    "kpis": [
        {"id": "cost", "metric": "cost", "target": 5, "owner": "a", "review_by": "2026-12-31"},
        {
            "id": "leads",
            "metric": "leads",
            "target": 5,
            "owner": "a",
            "review_by": "2026-12-31",
            "primary": True,
        },
    ],
}


def rows() -> pd.DataFrame:
    days = pd.date_range("2026-01-01", AS_OF.isoformat(), freq="D")
    return pd.concat(
        pd.DataFrame(
            {
                "date": days,
                "campaign": pd.array([name] * len(days), dtype="string"),
                "leads": float(leads),
                "cost": 100.0,
            }
        )
        for name, leads in LEADS.items()
    ).reset_index(drop=True)


def review() -> Review:
    context = build_context(Config.model_validate(CONFIG), Catalog({}), rows(), AS_OF, by="campaign")
    return Review(context, evaluate_rules(context))


def test_the_highest_and_lowest_groups_by_the_primary_kpi_are_kept() -> None:
    full = review()
    cut = shown(full, 4)
    # Ranked by leads (the primary KPI), highest first: c6 c5 | c2 c1; c3 and c4 left out.
    grouped = [(v.kpi.id, v.segment) for v in cut.review.kpis if v.segment is not None]
    assert grouped == [(k, c) for k in ("cost", "leads") for c in ("c6", "c5", "c2", "c1")]
    assert [v.kpi.id for v in cut.review.kpis if v.segment is None] == ["cost", "leads"]
    assert (cut.groups, cut.hidden, cut.ranked_by) == (6, 2, "leads")
    assert all(f.segment in (None, "c6", "c5", "c2", "c1") for f in cut.review.findings)
    assert cut.hidden_findings == len(full.findings) - len(cut.review.findings)
    assert cut.review.status == full.status
    note = cut.note(Lang.EN)
    assert note is not None and note.startswith("showing 4 of 6 campaign values") and "--limit 0" in note
    assert "6" in (cut.note(Lang.JA) or "")


def test_no_cut_when_the_groups_fit_or_the_limit_is_zero() -> None:
    full = review()
    for limit in (0, None, 6, 50):
        cut = shown(full, limit)
        assert cut.review is full and cut.hidden == 0 and cut.note(Lang.EN) is None


def test_an_odd_limit_keeps_one_more_at_the_top() -> None:
    cut = shown(review(), 3)
    assert [v.segment for v in cut.review.kpis if v.segment is not None and v.kpi.id == "leads"] == [
        "c6",
        "c5",
        "c1",
    ]


def test_a_hidden_groups_failure_still_sets_the_status() -> None:
    full = review()
    failing = Finding("drop", Severity.FAIL, Wording("drop.summary", {}), kpi="leads", segment="c3")
    with_failure = Review(full.context, [failing, *full.findings])
    cut = shown(with_failure, 2)  # keeps c6 and c1: c3's finding is not printed...
    assert failing not in cut.review.findings and cut.hidden_findings >= 1
    assert cut.review.status == Verdict.FAIL  # ...but the verdict is still that of every finding


def test_check_text_is_cut_and_json_keeps_every_group(tmp_path: Path) -> None:
    rows().assign(date=lambda f: f["date"].dt.strftime("%Y-%m-%d")).to_csv(tmp_path / "rows.csv", index=False)
    (tmp_path / "kpi.yaml").write_text(json.dumps(CONFIG), encoding="utf-8")
    common = ["check", "-c", str(tmp_path / "kpi.yaml"), "--as-of", "2026-03-31", "--by", "campaign"]
    common += ["--no-history", "--fail-on", "never"]
    text = CliRunner().invoke(app, [*common, "--limit", "2"], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.stderr
    assert "showing 2 of 6 campaign values" in text.stdout
    assert "c6" in text.stdout and "c1" in text.stdout and "c3" not in text.stdout
    everything = CliRunner().invoke(app, [*common, "--limit", "0"], env={"COLUMNS": "200"})
    assert "c3" in everything.stdout and "showing" not in everything.stdout
    document = json.loads(CliRunner().invoke(app, [*common, "--limit", "2", "--format", "json"]).stdout)
    assert sorted({k["campaign"] for k in document["kpis"] if k.get("campaign")}) == sorted(LEADS)
    refused = CliRunner().invoke(app, [*common, "--limit", "-1"])
    assert refused.exit_code == 2
