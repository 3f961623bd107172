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
from kpi_cli.errors import DataError
from kpi_cli.exit_codes import ExitCode
from kpi_cli.i18n import Lang
from kpi_cli.ingest import SourceSpan
from kpi_cli.sources import read_export
from kpi_cli.sources.profiles import BUILTIN
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


# --- readers' parse errors (group 3) --------------------------------------------------------------

FIXTURES = ROOT / "tests" / "fixtures" / "exports"
GA4 = FIXTURES / "ga4" / "traffic_acquisition_period_total.csv"


def _read_error(path: Path, **kwargs: Any) -> DataError:
    with pytest.raises(DataError) as error:
        read_export(path, **kwargs)
    return error.value


def _japanese(error: DataError, *names: str) -> str:
    (line,) = error.lines(Lang.JA)
    # Only names are left: the paths, the files' own headers and titles, canonical metric ids.
    assert english_left(line, *names) == set(), line
    return line


def test_source_period_that_disagrees_with_the_file_through_the_cli(tmp_path: Path) -> None:
    # GA4's own lines 7-8 say October; the source says September (the file is read, not guessed).
    data = copy.deepcopy(_base())
    data["sources"][2] = {"name": "ga4", "path": str(GA4), "platform": "auto", "period": "2026-09"}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, _, en = run("validate", "-c", str(path), "--lang", "en")
    assert code == 2 and en == (  # as tests/sources/test_period_reports.py has it
        f"kpi: error: {GA4}:7: the file totals 2026-10-01 to 2026-10-31, but its source says "
        "`period: 2026-09` (2026-09-01 to 2026-09-30); remove the key from the source, or point the "
        "source at the file of that range\n"
    )
    code, _, ja = run("validate", "-c", str(path), "--lang", "ja")
    assert code == 2 and ja == (
        f"kpi: エラー: {GA4}:7：ファイルは2026-10-01〜2026-10-31の集計ですが、ソースには `period: 2026-09`"
        "（2026-09-01〜2026-09-30）とあります。ソースからそのキーを外すか、ソースをその期間のファイルに向けてください\n"
    )


def test_readers_parse_errors_in_japanese(tmp_path: Path) -> None:
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    error = _read_error(xls)
    assert str(error) == f"{xls}: old .xls workbooks are not read; save the file as .xlsx or .csv"
    assert (
        _japanese(error, str(xls))
        == f"{xls}：古い .xls 形式のブックは読めません。.xlsx か .csv で保存し直してください"
    )

    reversed_range = tmp_path / "report.csv"
    reversed_range.write_text(
        "# Start date: 20261031\n# End date: 20261001\nCampaign,Impr.,Cost\nA,1,1\n", encoding="utf-8"
    )
    error = _read_error(reversed_range)
    assert (
        str(error)
        == f"{reversed_range}:1: the report's date range ends (2026-10-01) before it starts (2026-10-31)"
    )
    assert "より前です" in _japanese(error, str(reversed_range))

    bad_day = tmp_path / "bad.csv"
    bad_day.write_text(
        "# Start date: 20261001\n# End date: someday\nCampaign,Impr.,Cost\nA,1,1\n", encoding="utf-8"
    )
    error = _read_error(bad_day)
    assert str(error) == f"{bad_day}:2: cannot read 'someday' as the report's date"
    assert (
        _japanese(error, str(bad_day), "someday")
        == f"{bad_day}:2：'someday' をレポートの日付として読めません"
    )

    no_range = tmp_path / "channels.csv"
    headers = "Session primary channel group (Default channel group),Sessions,Engaged sessions,Key events"
    no_range.write_text(f"{headers}\nOrganic Search,100,60,4\n", encoding="utf-8")
    error = _read_error(no_range)
    assert str(error).endswith(
        "columns present: Session primary channel group (Default …, Sessions, Engaged sessions, Key events"
    )
    line = _japanese(error, str(no_range), headers, "date", "period", "start", "end")
    assert "日付の列 'date' または '日付' がなく" in line and line.endswith(
        "ある列：Session primary channel group (Default …, Sessions, Engaged sessions, Key events"
    )

    visits = FIXTURES / "meta_insights" / "Visits.csv"
    error = _read_error(visits)
    assert str(error).startswith(f"{visits}:2: a download of 'Facebook visits', which kpi has no metric for")
    known = "Facebook follows followers Instagram Content interactions engagements link clicks link_clicks Views impressions Viewers reach"
    line = _japanese(error, str(visits), known, "Facebook visits Primary columns metric")
    assert "のダウンロードですが" in line and "`columns: {<metric>: Primary}`" in line


def test_a_long_header_list_ends_in_japanese_count() -> None:
    from kpi_cli.i18n.catalog import Wording, render
    from kpi_cli.sources.listing import SHOWN, listed, listed_said

    names = [f"c{i}" for i in range(SHOWN + 4)]
    head = ", ".join(names[:SHOWN])
    said = listed_said(names)
    assert isinstance(said, Wording)
    # English exactly as `listed` words it; Japanese counts the 4 columns left out.
    assert render(said, Lang.EN) == listed(names) == f"{head} and 4 more"
    assert render(said, Lang.JA) == f"{head} ほか4列"


def test_unknown_layout_and_platform_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    code, _, en = run("inspect", str(path), "--lang", "en")
    # No profile knows Foo or Bar (as tests/test_cli.py expects of the English line).
    assert code == 2 and en == (
        f"kpi: error: {path}: unknown export layout; no profile knows these headers (use `platform: "
        "generic` with `columns:`); headers seen: Foo, Bar\n"
    )
    code, _, ja = run("inspect", str(path), "--lang", "ja")
    assert code == 2 and ja == (
        f"kpi: エラー: {path}：知らないエクスポートの形式です。この見出しを知っているプロファイルはありません"
        "（`platform: generic` と `columns:` を使ってください）。見出し：Foo, Bar\n"
    )
    error = _read_error(path, platform="meta_adz")
    assert str(error).startswith(
        f"{path}: unknown platform 'meta_adz'; did you mean 'meta_ads'? (known: auto, "
    )
    platforms = " ".join(["auto", "meta_adz", *(p.name for p in BUILTIN)])  # names are identifiers
    line = _japanese(error, str(path), platforms)
    assert line.startswith(
        f"{path}：不明なプラットフォーム 'meta_adz'（'meta_ads' のことですか？）（指定できるもの：auto, "
    )


def test_encoding_errors_in_japanese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"  # \x82\xff is neither UTF-8, UTF-16 text nor cp932
    bad.write_bytes(b"date,impressions\n2026-10-01,\x82\xff\x80\n")
    code, _, en = run("inspect", str(bad), "--lang", "en")
    assert code == 2 and en == (
        f"kpi: error: {bad}: cannot decode the file (tried utf-8-sig, utf-16, utf-8, cp932); "
        "set `encoding:` on the source\n"
    )
    code, _, ja = run("inspect", str(bad), "--lang", "ja")
    assert code == 2 and ja == (
        f"kpi: エラー: {bad}：ファイルの文字コードを判定できません（試したもの：utf-8-sig, utf-16, utf-8, cp932）。"
        "ソースに `encoding:` を指定してください\n"
    )
    error = _read_error(bad, encoding="no-such-codec")
    assert str(error) == f"{bad}: unknown encoding 'no-such-codec'"
    assert _japanese(error, str(bad), "no-such-codec") == f"{bad}：不明な文字コード 'no-such-codec'"
    error = _read_error(bad, encoding="utf-8")
    assert str(error) == f"{bad}:2: cannot decode the file as utf-8"  # line 2 holds the bad bytes
    assert _japanese(error, str(bad), "utf") == f"{bad}:2：ファイルを utf-8 として読めません"


def test_events_mapped_to_no_metric_in_japanese(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("date,event_name,event_count\n2026-10-01,sign_up,3\n", encoding="utf-8")
    error = _read_error(path, events={"sign_up": "signups"})
    assert str(error) == f"{path}: `events:` maps 'sign_up' to 'signups', which is not a canonical metric"
    line = _japanese(error, str(path), "events sign_up signups")
    assert line == (
        f"{path}：`events:` が 'sign_up' を 'signups' に対応づけていますが、'signups' は標準の指標ではありません"
    )
