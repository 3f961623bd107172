"""The CLI through typer's runner: output, exit codes and exact error lines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app, main

ROOT = Path(__file__).parent.parent
SAAS = ROOT / "configs" / "saas_leadgen.yaml"
ENV = {
    "COLUMNS": "160",
    "TERM": "dumb",
    "NO_COLOR": "1",
    "LC_ALL": "C.UTF-8",
}  # English unless a test says --lang


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


def test_every_command_has_help_text() -> None:
    code, _, _ = invoke("--help")
    assert code == 0
    for command in app.registered_commands:
        assert command.callback is not None and command.callback.__doc__, command.name
        code, text, _ = invoke(command.name or command.callback.__name__, "--help")
        assert code == 0 and "Usage" in text


def test_review_prints_every_section() -> None:
    code, out, err = invoke("review", "-c", str(SAAS), "--as-of", "2026-11-20")
    assert code == 0, err
    for heading in ("KGI", "KPIs", "Funnel 2026-11 (in progress)", "Findings"):
        assert heading in out
    # The sample's Deals fall (20 of 50 against 58 %, p = 0.012) is within chance once the
    # funnel's six tests (one per stage) share alpha 0.05 (issue 9): the table marks no stage, like the rules.
    assert "◀ bottleneck" not in out


def test_check_json_contract_and_exit_code() -> None:
    code, out, _ = invoke("check", "-c", str(SAAS), "--as-of", "2026-11-20", "--format", "json")
    doc = json.loads(out)
    assert code == 1  # the sample has fail findings and --fail-on defaults to fail
    assert doc["schema"] == "kpi-check/1" and doc["as_of"] == "2026-11-20" and doc["status"] == "fail"
    assert set(doc) >= {"schema", "as_of", "status", "kgi", "kpis", "findings"}
    assert doc["funnel"]["view"] == "snapshot"
    said = [f for f in doc["findings"] if f["code"] == "funnel_bottleneck.fall"]
    assert doc["funnel"]["bottleneck"] is None and said == []  # the table says what the rule says
    assert doc["funnel"]["cohort"] is None  # the SaaS sample has daily counts, not per-contact rows
    for kpi in doc["kpis"]:
        assert set(kpi) >= {"id", "metric", "actual", "target", "status", "owner", "review_by"}
    rules = {
        "pace",
        "forecast",
        "stalled",
        "pivot_deadline",
        "threshold",
        "drop",
        "freshness",
        "funnel_bottleneck",
        "lint",
    }
    for finding in doc["findings"]:
        assert set(finding) >= {"rule", "severity", "kpi", "segment", "message", "owner", "evidence"}
        assert finding["rule"] in rules and finding["severity"] in {"info", "warn", "fail"}


def test_fail_on_never_and_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = invoke(
        "check",
        "-c",
        str(SAAS),
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--output",
        str(target),
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "kpi-check/1"


def test_validate_reports_what_it_read() -> None:
    code, out, _ = invoke("validate", "-c", str(SAAS))
    assert code == 0
    assert out.strip().endswith("ok: 3 source(s), 3 file(s), 692 rows, 3 KPI(s)")


@pytest.fixture
def saas_copy(tmp_path: Path) -> Path:
    """The SaaS sample config and data copied, so tests can break them."""
    shutil.copytree(ROOT / "sample_data" / "saas", tmp_path / "sample_data" / "saas")
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "saas.yaml"
    shutil.copy(SAAS, config)
    return config


def test_typo_in_key_exits_2_naming_file_line_and_suggestion(saas_copy: Path) -> None:
    text = saas_copy.read_text(encoding="utf-8").replace("funnel:", "funel:")
    saas_copy.write_text(text, encoding="utf-8")
    line = text.splitlines().index("funel:") + 1
    code, out, err = invoke("check", "-c", str(saas_copy), "--as-of", "2026-11-20")
    assert code == 2 and out == ""
    assert err == f"kpi: error: unknown key 'funel' at {saas_copy}:{line}, did you mean 'funnel'?\n"


def test_missing_file_exits_2(saas_copy: Path) -> None:
    (saas_copy.parent.parent / "sample_data" / "saas" / "sns_smb.csv").unlink()
    code, _, err = invoke("check", "-c", str(saas_copy), "--as-of", "2026-11-20")
    missing = saas_copy.parent / ".." / "sample_data" / "saas" / "sns_smb.csv"
    assert code == 2
    assert err == f"kpi: error: source 'sns_smb': file not found: {missing}\n"


def test_csv_missing_needed_column_exits_2(saas_copy: Path) -> None:
    crm = saas_copy.parent.parent / "sample_data" / "saas" / "crm_daily.csv"
    lines = crm.read_text(encoding="utf-8").splitlines()
    crm.write_text("\n".join(",".join(line.split(",")[:4]) for line in lines) + "\n", encoding="utf-8")
    code, _, err = invoke("validate", "-c", str(saas_copy))
    data = saas_copy.parent / ".." / "sample_data" / "saas"
    assert code == 2
    assert err == (
        "kpi: error: missing column 'revenue' needed by the KGI: "
        f"{data / 'sns_enterprise.csv'} has impressions, clicks, cost; "
        f"{data / 'sns_smb.csv'} has impressions, clicks, cost; "
        f"{data / 'crm_daily.csv'} has segment, leads, inquiries\n"
    )


def test_bad_as_of_is_a_usage_error() -> None:
    code, _, err = invoke("check", "-c", str(SAAS), "--as-of", "20-11-2026")
    assert (code, err) == (2, "kpi: error: --as-of: cannot read '20-11-2026' as a date (YYYY-MM-DD)\n")


def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(app, ["--debug", "check", "-c", "missing.yaml"], env=ENV)
    assert result.exit_code == 1 and type(result.exception).__name__ == "ConfigError"


def test_main_returns_exit_codes() -> None:
    assert main(["validate", "-c", str(SAAS)]) == 0
    assert main(["check", "-c", "missing.yaml"]) == 2
    assert main(["no-such-command"]) == 2


def test_checkin_is_recorded_and_shown_in_the_review(saas_copy: Path) -> None:
    history = saas_copy.parent / "h.sqlite"
    code, out, _ = invoke(
        "checkin",
        "-c",
        str(saas_copy),
        "--kpi",
        "leads",
        "--confidence",
        "on_track",
        "--comment",
        "influencer push",
        "--date",
        "2026-11-18",
        "--history",
        str(history),
    )
    assert code == 0 and out == f"recorded: leads on track on 18 Nov 2026 in {history}\n"
    code, out, _ = invoke(
        "check", "-c", str(saas_copy), "--as-of", "2026-11-20", "--format", "json", "--history", str(history)
    )
    doc = json.loads(out)
    assert [k["owner_confidence"] for k in doc["kpis"] if k["id"] == "leads" and k["segment"] is None] == [
        "on_track"
    ]
    [mismatch] = [f for f in doc["findings"] if f["code"] == "pace.confidence_mismatch"]
    assert mismatch["severity"] == "warn" and "influencer push" in mismatch["message"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kpi", "nope", "--confidence", "on_track"],
            "--kpi: 'nope' is not a KPI of {config} (leads, inquiries, cpa)",
        ),
        (
            ["--kpi", "leads", "--confidence", "fine"],
            "--confidence: 'fine' is not one of on_track, at_risk, off_track",
        ),
        (
            ["--kpi", "leads", "--confidence", "on_track", "--date", "soon"],
            "--date: cannot read 'soon' as a date (YYYY-MM-DD)",
        ),
    ],
)
def test_checkin_errors(saas_copy: Path, args: list[str], message: str) -> None:
    code, _, err = invoke("checkin", "-c", str(saas_copy), *args)
    assert (code, err) == (2, "kpi: error: " + message.format(config=saas_copy) + "\n")


def test_by_segment_adds_rows_per_segment() -> None:
    code, out, _ = invoke(
        "check", "-c", str(SAAS), "--as-of", "2026-11-20", "--format", "json", "--by", "segment"
    )
    rows = {(k["id"], k["segment"]) for k in json.loads(out)["kpis"]}
    assert rows == {
        (kpi, seg) for kpi in ("leads", "inquiries", "cpa") for seg in (None, "enterprise", "smb")
    }
    code, _, err = invoke("check", "-c", str(SAAS), "--by", "region")
    assert (code, err) == (
        2,
        "kpi: error: --by: 'region' is not one of segment, channel, campaign, account, influencer\n",
    )


def test_plan_json_through_the_cli() -> None:
    code, out, _ = invoke("plan", "-c", str(SAAS), "--as-of", "2026-11-20", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "kpi-plan/1"
    assert [s["name"] for s in doc["stages"]][-1] == "Won"
    assert doc["window"] == ["2026-08", "2026-10"]


def test_plan_rejects_a_bad_window() -> None:
    code, _, err = invoke("plan", "-c", str(SAAS), "--window", "0")
    assert code == 2 and err.startswith("kpi: error: --window")


def test_help_starts_without_pandas() -> None:
    """`kpi --help` must stay fast: the data stack is imported only by the commands that need it."""
    import subprocess
    import sys

    script = "import sys; from kpi_cli.cli import main; main(['--help']); print(sorted({'pandas', 'scipy'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_inspect_unknown_layout_exits_2_naming_headers(tmp_path: Path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    code, out, err = invoke("inspect", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"kpi: error: {path}: unknown export layout")
    assert "headers seen: Foo, Bar" in err and err.count("\n") == 1


def test_inspect_missing_file_and_bad_format(tmp_path: Path) -> None:
    code, _, err = invoke("inspect", str(tmp_path / "nope.csv"))
    assert code == 2 and err.startswith("kpi: error: ") and "nope.csv" in err
    # --format is the Format enum (click refuses `xml`); inspect writes two of its formats
    code, _, err = invoke("inspect", str(tmp_path / "nope.csv"), "--format", "junit")
    assert (code, err) == (2, "kpi: error: --format: 'junit' is not one of text, json\n")


def test_inspect_text_shows_markup_in_names_literally(tmp_path: Path) -> None:
    path = tmp_path / "[red]x.csv"
    path.write_text("date,leads\n2026-10-01,3\n", encoding="utf-8")
    code, out, _ = invoke("inspect", str(path), "--platform", "generic")
    assert code == 0 and "[red]x.csv" in out


def test_review_shows_markup_in_config_names_literally(saas_copy: Path) -> None:
    text = saas_copy.read_text(encoding="utf-8").replace(
        "name: Inquiries\n", "name: Inquiries [red]now[/red]\n"
    )
    saas_copy.write_text(text, encoding="utf-8")
    code, out, _ = invoke("review", "-c", str(saas_copy), "--as-of", "2026-11-20")
    assert code == 0 and "[red]now[/red]" in out


def test_platforms_lists_every_profile_as_json() -> None:
    code, out, _ = invoke("platforms", "--format", "json")
    document = json.loads(out)
    assert document["schema"] == "kpi-platforms/1" and document["lang"] == "en"
    names = {row["name"] for row in document["platforms"]}
    assert code == 0 and {"x", "meta_ads", "hubspot", "line", "yahoo_ads", "generic"} <= names


def test_hubspot_export_gives_the_cohort_view(tmp_path: Path) -> None:
    shutil.copy(
        ROOT / "tests" / "fixtures" / "exports" / "hubspot" / "all-contacts.csv", tmp_path / "hubspot.csv"
    )
    config = tmp_path / "crm.yaml"
    config.write_text(
        "version: 1\nname: crm\nsources: [{name: hubspot, path: hubspot.csv}]\n"
        "kgi: {name: Won, metric: customers, target: 10, start: 2026-09-01, deadline: 2026-12-31}\n"
        "kpis: [{id: leads, metric: leads, target: 5, primary: true, owner: a, review_by: 2026-12-31}]\n"
        "funnel: {stages: [{name: Leads, metric: leads}, {name: MQL, metric: inquiries},"
        " {name: SQL, metric: appointments}, {name: Deals, metric: opportunities}, {name: Won, metric: customers}]}\n",
        encoding="utf-8",
    )
    code, out, _ = invoke(
        "check", "-c", str(config), "--as-of", "2026-10-31", "--format", "json", "--fail-on", "never"
    )
    cohort = json.loads(out)["funnel"]["cohort"]
    # October's leads are contacts 102, 103, 104 and 106 (101 became a lead in September);
    # 103 and 104 became MQLs, 104 alone went on to SQL and deal, none of them won yet.
    assert code == 0 and cohort["entry_stage"] == "Leads"
    assert [(s["name"], s["reached"]) for s in cohort["stages"]] == [
        ("Leads", 4),
        ("MQL", 2),
        ("SQL", 1),
        ("Deals", 1),
        ("Won", 0),
    ]
    assert [s["conversion"] for s in cohort["stages"]] == [None, 0.5, 0.5, 1.0, 0.0]


@pytest.mark.parametrize("config", [SAAS, ROOT / "configs" / "b2c_influencer.yaml"], ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["review", "plan"])
def test_narrow_terminal_breaks_no_word_and_no_number(config: Path, command: str) -> None:
    """At 80 columns a word is whole or a name shortened with an ellipsis, and a number is whole.

    The 160-column output, where nothing needs to wrap, gives the words: every Latin word at 80
    columns must be one of them (`Inquirie` / `s` is not), or a prefix of one ending in `…`.
    """

    def shown(width: int) -> str:
        args = [command, "-c", str(config), "--as-of", "2026-11-20"]
        result = CliRunner().invoke(app, args, env={**ENV, "COLUMNS": str(width)})
        assert result.exit_code == 0, result.stderr
        return result.stdout

    narrow, wide = shown(80), shown(160)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    words = set(re.findall(r"[A-Za-z]{2,}", wide))
    for token in re.findall(r"[A-Za-z]{2,}…?", narrow):
        if token.endswith("…"):
            assert any(w.startswith(token[:-1]) for w in words), token
        else:
            assert token in words, token
    # An ellipsis only ends a name: never inside or after a number.
    assert not re.search(r"[\d,.]…|…\d", narrow)
    numbers = set(re.findall(r"\d[\d,.]*\d", wide))
    assert set(re.findall(r"\d[\d,.]*\d", narrow)) == numbers


def test_every_command_and_option_is_in_the_readme() -> None:
    import typer.main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert len(commands) == 10  # history and diff (issue 11), compare (issue 13)
    for name, command in commands.items():
        assert f"`kpi {name}" in readme, name
        for param in command.params:
            for flag in param.opts:
                if flag.startswith("--") and flag != "--help":
                    assert flag in readme, f"kpi {name} {flag}"


def test_validate_prints_the_methods_lint_as_advice() -> None:
    config = ROOT / "configs" / "b2c_influencer.yaml"
    code, out, _ = invoke("validate", "-c", str(config))
    assert code == 0
    assert [line for line in out.splitlines() if ": lint: " in line] == [
        f"{config}: lint: KPI 'follows' has no owner and no review_by: nobody is due to decide a pivot"
    ]


@pytest.mark.parametrize("window", ["0", "121", "1000000000"])
def test_plan_window_outside_1_to_120_months_is_a_usage_error(window: str) -> None:
    # --window 1000000000 used to build a period range of 7.7 GB before failing.
    code, out, err = invoke("plan", "-c", str(SAAS), "--as-of", "2026-11-20", "--window", window)
    assert code == 2 and out == ""
    assert err == f"kpi: error: --window: must be 1 to 120 months, got {window}\n"


LEAKING_FUNNEL = """\
version: 1
name: a funnel with one leaking stage
sources:
  - {name: crm, path: crm.csv, platform: generic}
kgi: {name: Customers, metric: customers, target: 400, start: 2026-08-01, deadline: 2026-12-31, owner: Sato}
kpis:
  - {id: leads, name: Leads, metric: leads, target: 300, owner: Tanaka, review_by: 2026-12-31}
funnel:
  stages:
    - {name: Leads, metric: leads}
    - {name: Deals, metric: customers}
"""


def test_the_funnel_table_marks_the_stage_the_rule_finds(tmp_path: Path) -> None:
    # Leads convert 3 in 10 a day from August to October and 1 in 10 in November: 90 of 300 in
    # each baseline month against 30 of 300 now, far beyond chance (Fisher p < 1e-9).
    days = pd.date_range("2026-08-01", "2026-11-30", freq="D")
    rows = [f"{d.date()},10,{1 if d.month == 11 else 3}" for d in days]
    (tmp_path / "crm.csv").write_text("date,leads,customers\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text(LEAKING_FUNNEL, encoding="utf-8")
    config = str(tmp_path / "kpi.yaml")
    code, out, err = invoke("review", "-c", config, "--as-of", "2026-11-30")
    assert code == 0, err
    marked = [line for line in out.splitlines() if "◀ bottleneck" in line]
    assert len(marked) == 1 and marked[0].split()[0] == "Deals"
    _, out, _ = invoke("check", "-c", config, "--as-of", "2026-11-30", "--format", "json")
    doc = json.loads(out)
    said = [f for f in doc["findings"] if f["code"] == "funnel_bottleneck.fall"]
    assert doc["funnel"]["bottleneck"] == "Deals" and [f["evidence"]["stage"] for f in said] == ["Deals"]
