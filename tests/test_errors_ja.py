"""Issue 8, the remaining errors: config checks, validators, references, verify and the readers, said
in Japanese with no English word left but the user's own names and config keys, and in English as
before (the English text is a contract users grep; each expected line is written out by hand)."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.config.models import SourceConfig
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.ingest import SourceSpan
from kpi_cli.sources import read_export
from kpi_cli.verify import advice

ROOT = Path(__file__).parent.parent
SAAS = ROOT / "configs" / "saas_leadgen.yaml"
ENV = {"COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
# Config keys and YAML words a message names on purpose (the user types them), and `kpi` itself.
KEYS = {"kpi", "kgi", "rules", "pace", "curve", "milestones", "deadline", "start", "end", "period"}
KEYS |= {"csv", "xlsx", "xls", "zip"}  # file formats, named as their extensions
KEYS |= {"yaml", "id", "yyyy", "mm", "dd", "snooze", "kpis", "sources", "target", "date", "defaults"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


def english_left(text: str, *names: str) -> set[str]:
    """Latin words of `text` that are neither config keys nor names taken from `names`."""
    allowed = {w.lower() for name in names for w in re.findall(r"[A-Za-z]+", name)} | KEYS
    text = re.sub(r"\d(\.\d+)?e[+-]\d+", "", text)  # a target as written with `:g` (3e+07) is a number
    return {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in allowed}


def _base() -> dict[str, Any]:
    data = yaml.safe_load(SAAS.read_text(encoding="utf-8"))
    for source in data["sources"]:  # the written config sits in tmp_path: paths made absolute
        source["path"] = str((SAAS.parent / source["path"]).resolve())
    return dict(data)


def _errors(tmp_path: Path, data: dict[str, Any], lang: str) -> tuple[Path, list[str]]:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, _, err = run("validate", "-c", str(path), "--lang", lang)
    assert code == 2, err
    return path, err.splitlines()


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of the written file containing `text`."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _mutated(change: str) -> dict[str, Any]:
    data = copy.deepcopy(_base())
    if change == "curve_empty":
        data["kgi"]["rules"] = {"pace": {"curve": []}}
    elif change == "curve_short":
        data["kgi"]["rules"] = {"pace": {"curve": [1, -1]}}
    elif change == "milestones":
        milestones = [
            {"date": "2027-02-01", "target": 5},
            {"date": "2026-08-01", "target": 30000000},
            {"date": "2026-09-01", "target": 20000000},
        ]
        data["kgi"]["rules"] = {"pace": {"milestones": milestones}}
    elif change == "leak":  # two cumulative KPIs would take the KGI's milestones from defaults:
        data["kpis"][0]["cumulative"] = True
        data["kpis"][1]["cumulative"] = True
        data["defaults"] = {"pace": {"milestones": [{"date": "2026-09-30", "target": 500}]}}
    elif change == "unknown_metric":
        data["kpis"][1]["metric"] = "inquiry"
    elif change == "unknown_kpi":
        data["snooze"] = [{"kpi": "nope", "rule": "pace", "until": "2026-12-01", "reason": "holiday"}]
    elif change == "duplicate_kpi":
        data["kpis"][2]["id"] = "leads"
    elif change == "deadline":
        data["kgi"]["deadline"] = "2026-01-01"
    elif change == "period":
        data["sources"][2]["period"] = "2026-13"
    elif change == "pattern":
        data["sources"][0]["patterns"] = {"campaign": "(a)(b)"}
    return data


# (change, English lines as a user greps them, by hand; a fragment of each Japanese line)
CASES = [
    (
        "curve_empty",
        [
            "invalid value for 'kgi.rules.pace.curve' at {at}: the curve is empty; give one weight per "
            "month of the KGI (7 for 2026-06-01..2026-12-31)"
        ],  # June..December: 7 months
        ["カーブが空です", "は7か月"],
    ),
    (
        "curve_short",
        [
            "invalid value for 'kgi.rules.pace.curve' at {at}: weights must not be negative (month 2)",
            "invalid value for 'kgi.rules.pace.curve' at {at}: 2 weights for the 7 months of the KGI "
            "(2026-06-01..2026-12-31); give one weight per month",
        ],
        ["負の値", "重みが2個ありますが"],
    ),
    (
        "leak",
        [
            "invalid value for 'defaults.pace.milestones' at {at}: milestones are targets in one number's own "
            "units and would also pace KPI 'leads', KPI 'inquiries'; put them under kgi.rules.pace (or each "
            "KPI's rules.pace), or give each cumulative KPI its own milestones ([] for a straight line)"
        ],
        ["KPI 'leads'、KPI 'inquiries'のペースにも使われてしまいます"],
    ),
    (
        "milestones",
        [
            "invalid value for 'kgi.rules.pace.milestones[0]' at {at}: 2027-02-01 is outside the KGI's span "
            "2026-06-01..2026-12-31 (the start and the deadline are implied)",
            "invalid value for 'kgi.rules.pace.milestones[1]' at {at}: 2026-08-01 does not come after 2027-02-01",
            "invalid value for 'kgi.rules.pace.milestones[2]' at {at}: target 2e+07 is below the one before "
            "(3e+07)",
        ],
        ["の外です", "より後になっていません", "下回っています"],
    ),
    (
        "unknown_metric",
        ["unknown metric 'inquiry' at {at}, did you mean 'inquiries'?"],
        ["不明な指標 'inquiry'"],
    ),
    ("unknown_kpi", ["unknown KPI 'nope' at {at}"], ["不明なKPI 'nope'"]),
    ("duplicate_kpi", ["invalid value for 'config' at {at}: duplicate KPI id 'leads'"], ["が重複しています"]),
    (
        "deadline",
        ["invalid value for 'kgi' at {at}: deadline is before start"],
        ["deadline が start より前です"],
    ),
    (
        "period",
        ["invalid value for 'sources[2].period' at {at}: a month written YYYY-MM (period: 2026-10)"],
        ["形式の月を指定してください"],
    ),
    (
        "pattern",
        [
            "invalid value for 'sources[0].patterns.campaign' at {at}: a pattern may have at most one "
            "group: the part of the value kept"
        ],
        ["グループ"],
    ),
]
ANCHOR = {  # the text on the line each error names (the written file is block YAML)
    "leak": "milestones:",
    "curve_empty": "curve:",
    "curve_short": "curve:",
    "milestones": "- date: '2027",
    "unknown_metric": "metric: inquiry",
    "unknown_kpi": "kpi: nope",
    "duplicate_kpi": None,
    "deadline": "kgi:",
    "period": "period: 2026-13",
    "pattern": "campaign: (a)(b)",
}


@pytest.mark.parametrize(("change", "english", "japanese"), CASES, ids=[c[0] for c in CASES])
def test_config_checks_in_both_languages(
    tmp_path: Path, change: str, english: list[str], japanese: list[str]
) -> None:
    data = _mutated(change)
    path, en = _errors(tmp_path, data, "en")
    _, ja = _errors(tmp_path, data, "ja")
    # Each line names file:line; the first one's line is the anchor's, worked out from the written file.
    first = str(path) if ANCHOR[change] is None else f"{path}:{_line_of(path, ANCHOR[change])}"
    assert f" at {first}" in en[0] or f" at {first}:" in en[0]
    shown = [
        re.sub(re.escape(str(path)) + r"(:\d+)?", "{at}", line.removeprefix("kpi: error: ")) for line in en
    ]
    assert shown == english
    assert len(ja) == len(en)
    text = "\n".join(ja)
    for fragment in japanese:
        assert fragment in text
    for line in ja:
        assert line.startswith("kpi: エラー: ")
    # Every location keeps its file:line; nothing English is left but names and keys.
    assert all(str(path) in line for line in ja)
    names = path.read_text(encoding="utf-8") + str(path)
    assert english_left(text, names) == set(), text


def _b2c_copy(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copytree(ROOT / "sample_data" / "b2c", tmp_path / "sample_data" / "b2c")
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "b2c.yaml"
    text = (ROOT / "configs" / "b2c_influencer.yaml").read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")
    return config


def test_where_matching_no_row_in_both_languages(tmp_path: Path) -> None:
    config = _b2c_copy(tmp_path, "    where: {source: instagram}\n", "    where: {channel: social media}\n")
    code, _, en = run("validate", "-c", str(config), "--lang", "en")
    # The English line exactly as tests/sources/test_filters.py has it (a contract).
    assert code == 2 and en.strip() == (
        "kpi: error: KPI 'follows': where: channel 'social media' matches no row; values in the data "
        "(closest first): 'Paid Social', 'meta_ads', 'instagram', 'line', 'Email', 'email', 'tiktok'"
    )
    code, _, ja = run("validate", "-c", str(config), "--lang", "ja")
    assert code == 2 and ja.strip() == (
        "kpi: エラー: KPI 'follows'：where: channel 'social media' に一致する行がありません。"
        "データにある値（近い順）：'Paid Social', 'meta_ads', 'instagram', 'line', 'Email', 'email', 'tiktok'"
    )


def test_missing_column_in_both_languages(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sample_data" / "saas", tmp_path / "sample_data" / "saas")
    (tmp_path / "configs").mkdir()
    config = tmp_path / "configs" / "saas.yaml"
    config.write_text(SAAS.read_text(encoding="utf-8"), encoding="utf-8")
    crm = tmp_path / "sample_data" / "saas" / "crm_daily.csv"
    lines = crm.read_text(encoding="utf-8").splitlines()  # revenue and the columns after it dropped
    crm.write_text("\n".join(",".join(line.split(",")[:4]) for line in lines) + "\n", encoding="utf-8")
    data = config.parent / ".." / "sample_data" / "saas"
    code, _, en = run("validate", "-c", str(config), "--lang", "en")
    assert code == 2 and en == (  # as tests/test_cli.py has it
        "kpi: error: missing column 'revenue' needed by the KGI: "
        f"{data / 'sns_enterprise.csv'} has impressions, clicks, cost; "
        f"{data / 'sns_smb.csv'} has impressions, clicks, cost; "
        f"{data / 'crm_daily.csv'} has segment, leads, inquiries\n"
    )
    code, _, ja = run("validate", "-c", str(config), "--lang", "ja")
    assert code == 2 and ja == (
        "kpi: エラー: KGIに必要な列 'revenue' がありません："
        f"{data / 'sns_enterprise.csv'} にあるのは impressions, clicks, cost。"
        f"{data / 'sns_smb.csv'} にあるのは impressions, clicks, cost。"
        f"{data / 'crm_daily.csv'} にあるのは segment, leads, inquiries\n"
    )


def test_validate_advice_in_japanese(tmp_path: Path) -> None:
    # The same file as tests/sources/test_near_matches.py: `Results` 40 + 28 = 68 unread.
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "Day,Campaign name,Amount spent (USD),Results,Cost per result,Frequency\n"
        "2026-10-01,A,10,40,0.25,1.5\n2026-10-02,A,20,28,0.71,1.2\n",
        encoding="utf-8",
    )
    span = SourceSpan(SourceConfig(name="meta", path="meta.csv"), [read_export(meta)])
    assert advice([span], Lang.JA) == [
        "ソース「meta」：meta.csv の `Results`（68）は読まれていません。"
        "`columns: {METRIC: Results}` で対応づけてください"
    ]
    assert advice([span]) == [
        "source 'meta': `Results` (68) in meta.csv is not read; map it with `columns: {METRIC: Results}`"
    ]


def test_interrupted_in_both_languages(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import kpi_cli.cli as cli

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "app", interrupt)
    assert cli.main(["validate", "--lang", "ja"]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "kpi: 中断しました\n"
    assert cli.main(["validate", "--lang", "en"]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "kpi: interrupted\n"
