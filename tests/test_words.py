"""Issue 8, the command layer: plan, inspect, platforms, validate, checkin and the errors in both
languages; line breaking at 80 columns; one evaluation path for every command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text
from typer.testing import CliRunner

from kpi_cli.cli import app, main
from kpi_cli.i18n import Lang, term
from kpi_cli.render.fit import ELLIPSIS, Fit, fit_cell, line_count, widest_piece
from kpi_cli.sources.canonical import METRICS
from kpi_cli.sources.profiles import BUILTIN

ROOT = Path(__file__).parent.parent
SAAS = ROOT / "configs" / "saas_leadgen.yaml"
B2C = ROOT / "configs" / "b2c_influencer.yaml"
META = ROOT / "sample_data" / "b2c" / "meta_ads_campaigns.csv"
ENV = {"COLUMNS": "120", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
# Words that are names, not wording: commands, config keys, metric and platform ids, proper nouns.
NAMES = {"kpi", "kgi", "plan", "funnel", "platform", "columns", "yaml", "utf", "sig", "csv", "fifo", "ok"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


def english_left(out: str, *sources: str) -> set[str]:
    """Latin words in `out` that come from none of `sources` (the config, the data, the profiles)."""
    allowed = {w.lower() for text in sources for w in re.findall(r"[A-Za-z]+", text)} | NAMES
    return {w for w in re.findall(r"[A-Za-z]+", out) if w.lower() not in allowed}


def _data_words(config: Path) -> str:
    text = config.read_text(encoding="utf-8")
    for csv in (ROOT / "sample_data").rglob("*.csv"):
        text += "\n" + csv.read_text(encoding="utf-8", errors="replace")[:20000]
    return text


@pytest.mark.parametrize("config", [SAAS, B2C], ids=lambda p: p.stem)
def test_plan_in_japanese_has_no_english_word_left(config: Path) -> None:
    code, out, _ = run("plan", "-c", str(config), "--as-of", "2026-11-20", "--lang", "ja")
    assert code == 0
    assert english_left(out, _data_words(config)) == set()
    assert "逆算プラン" in out and "必要/月" in out and "2026年12月31日" in out


def test_plan_in_japanese_words_its_notes_and_json() -> None:
    # As of 2026-07-10 the saas window 2026-04..2026-06 has no data before June: a note says so.
    code, out, _ = run("plan", "-c", str(SAAS), "--as-of", "2026-07-10", "--lang", "ja", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["lang"] == "ja"
    assert document["note_codes"] == ["plan.note.partial_window"]
    assert document["notes"] == ["集計期間3か月のうち、データがあるのは1か月のみ"]


def test_inspect_and_platforms_in_japanese() -> None:
    code, out, _ = run("inspect", str(META), "--lang", "ja")
    assert code == 0 and "文字コード" in out and "計測なし" in out and "読まない列" in out
    # Headers and skip reasons are the file's and the reader's (issue 10's) words, not wording here.
    canonical = [*METRICS, "date", "date_end", "campaign"]  # the canonical names are identifiers
    names = " ".join([str(META), META.read_text(encoding="utf-8"), *canonical, "summary row no campaign"])
    assert english_left(out, names) == set()
    code, out, _ = run("platforms", "--lang", "ja")
    profiles = " ".join(f"{p.name} {p.title} {p.aliases()} {p.detect}" for p in BUILTIN)
    left = english_left(out, " ".join(str(p.aliases()) + str(p.detect) for p in BUILTIN))
    assert code == 0 and "判定方法" in out and "Meta広告マネージャの" in out
    assert left <= set(re.findall(r"[A-Za-z]+", profiles)), left  # only names: Meta, Google, Studio...
    assert not left & {"headers", "or", "reads", "maps", "export", "report", "detected"}


def test_builtin_platform_titles_in_english_are_the_profiles_own() -> None:
    # The catalog repeats them only so that both languages have the same keys: they must not drift.
    for profile in BUILTIN:
        assert term(f"platform.title.{profile.name}", Lang.EN) == profile.title


def test_inspect_and_platforms_json_are_typed_documents() -> None:
    code, out, _ = run("inspect", str(META), "--format", "json", "--lang", "ja")
    document = json.loads(out)
    assert code == 0 and (document["schema"], document["lang"]) == ("kpi-inspect/1", "ja")
    assert list(document)[:4] == ["schema", "lang", "file", "platform"]
    assert document["metrics"]["impressions"] == 8_070_764 and document["metrics"]["leads"] is None
    assert document["skipped"] == [{"line": 2, "reason": "summary row (no campaign)"}]
    code, out, _ = run("platforms", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and listed["schema"] == "kpi-platforms/1"
    meta = next(p for p in listed["platforms"] if p["name"] == "meta_ads")
    assert ["amount spent ({cur})"] in meta["signatures"]
    assert meta["detect"].startswith("headers amount spent ({cur}); or ")


def test_validate_and_checkin_in_japanese(tmp_path: Path) -> None:
    code, out, _ = run("validate", "-c", str(SAAS), "--lang", "ja")
    assert code == 0 and out.startswith(f"{SAAS}：OK：ソース3件、ファイル3件、")
    history = tmp_path / "h.sqlite"
    code, out, _ = run(
        "checkin", "-c", str(SAAS), "--kpi", "leads", "--confidence", "at_risk",
        "--date", "2026-11-18", "--history", str(history), "--lang", "ja",
    )  # fmt: skip
    assert (code, out) == (0, f"記録しました：leads 要注意（2026年11月18日）→ {history}\n")


def _error(args: list[str], environ: dict[str, str] | None = None) -> tuple[int, str]:
    """Through `main`, as the console script runs: the usage errors too become one line."""
    done = subprocess.run(
        [sys.executable, "-m", "kpi_cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LC_ALL": "", "LANG": "C.UTF-8", **(environ or {})},
        timeout=120,
    )
    return done.returncode, done.stderr


@pytest.mark.parametrize(
    ("args", "en", "ja"),
    [
        (["review", "-c", "nope.yaml"], "kpi: error: nope.yaml: config file not found", "kpi: エラー: nope.yaml：設定ファイルが見つかりません"),
        (["check", "-c", str(SAAS), "--by", "city"], "kpi: error: --by: 'city' is not one of segment, channel, campaign, account, influencer", "kpi: エラー: --by：'city' は指定できません（segment、channel、campaign、account、influencer のいずれか）"),
        (["check", "-c", str(SAAS), "--as-of", "tomorrow"], "kpi: error: --as-of: cannot read 'tomorrow' as a date (YYYY-MM-DD)", "kpi: エラー: --as-of：'tomorrow' を日付（YYYY-MM-DD）として読めません"),
        (["plan", "-c", str(SAAS), "--window", "0"], "kpi: error: --window: must be 1 to 120 months, got 0", "kpi: エラー: --window：1〜120か月で指定してください（指定値 0）"),
        (["check", "-c", str(SAAS), "--colour"], "kpi: error: no such option: --colour (see 'kpi check --help')", "kpi: エラー: --colour というオプションはありません（'kpi check --help' を参照）"),
        (["check", "-c", str(SAAS), "--format", "xml"], "kpi: error: --format: 'xml' is not one of text, json, markdown, junit, github (see 'kpi check --help')", "kpi: エラー: --format：'xml' は指定できません（text、json、markdown、junit、github のいずれか）（'kpi check --help' を参照）"),
        (["history", "-c", str(SAAS), "--format", "junit"], "kpi: error: --format: 'junit' is not one of text, json, markdown", "kpi: エラー: --format：'junit' は指定できません（text、json、markdown のいずれか）"),
    ],
)  # fmt: skip
def test_usage_errors_in_both_languages(args: list[str], en: str, ja: str) -> None:
    assert _error(args) == (2, en + "\n")
    assert _error([*args, "--lang", "ja"]) == (2, ja + "\n")  # --lang, even after the bad option
    assert _error(args, {"LANG": "ja_JP.UTF-8"}) == (2, ja + "\n")  # or the locale


def test_config_errors_in_japanese_keep_file_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nname: [unclosed\n", encoding="utf-8")
    code, err = _error(["validate", "-c", str(broken), "--lang", "ja"])
    # PyYAML's own phrase stays English (it names YAML's grammar); the frame is Japanese.
    assert code == 2 and err.startswith(f"kpi: エラー: {broken}:3:1：YAMLの構文エラー：")
    typo = tmp_path / "typo.yaml"
    typo.write_text(SAAS.read_text(encoding="utf-8").replace("\nkgi:", "\nkgii:", 1), encoding="utf-8")
    line = SAAS.read_text(encoding="utf-8").split("\nkgi:")[0].count("\n") + 2  # the `kgii:` line
    code, err = _error(["validate", "-c", str(typo), "--lang", "ja"])
    lines = err.splitlines()
    assert code == 2 and lines[0] == f"kpi: エラー: {typo}:{line}：不明なキー 'kgii'（'kgi' のことですか？）"
    code, err = _error(["validate", "-c", str(typo)])
    where = err.splitlines()[1].rsplit(" at ", 1)[1]  # the file (and the line pydantic placed it on)
    assert err.splitlines()[1] == f"kpi: error: missing key 'kgi' in the top level at {where}"
    assert lines[1] == f"kpi: エラー: {where}：最上位にキー 'kgi' がありません"


def test_a_missing_data_file_is_said_in_japanese(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(SAAS.read_text(encoding="utf-8"), encoding="utf-8")  # its sources are not beside it
    code, err = _error(["validate", "-c", str(config), "--lang", "ja"])
    assert code == 2 and err.startswith("kpi: エラー: ソース「") and "ファイルが見つかりません：" in err


def test_command_list_is_in_japanese_under_a_japanese_locale() -> None:
    code, _ = _error(["--help"], {"LANG": "ja_JP.UTF-8"})
    done = subprocess.run(
        [sys.executable, "-m", "kpi_cli", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LC_ALL": "", "LANG": "ja_JP.UTF-8", "COLUMNS": "200"},
        timeout=120,
    )
    assert code == 0 and "月次レビュー：KGIの進捗" in done.stdout and "逆算する" in done.stdout
    assert "The monthly review" not in done.stdout


def test_main_returns_2_for_an_unknown_lang_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "-c", str(SAAS), "--lang", "fr"]) == 2
    assert (
        capsys.readouterr().err == "kpi: error: --lang: 'fr' is not one of en, ja (see 'kpi review --help')\n"
    )


# Line breaking, piece by piece, against outputs worked out by hand.


def test_a_name_wider_than_its_column_is_shortened_with_an_ellipsis() -> None:
    assert fit_cell("Inquiries", 8, Fit.NAME).plain == "Inquiri" + ELLIPSIS
    assert fit_cell("Cost per customer", 8, Fit.NAME).plain == "Cost per\ncustomer"
    # prose folds a word only as the last resort; a name never loses a digit to an ellipsis
    assert fit_cell("Inquiries", 8, Fit.PROSE).plain == "Inquirie\ns"
    assert fit_cell("FY2026H2", 4, Fit.NAME).plain == "FY20\n26H2"


def test_numbers_and_counters_stay_whole_and_kinsoku_holds() -> None:
    assert widest_piece("達成率 63,000,000 / 90,000,000", numbers_only=True) == 10
    # 見直しまで10日 (12 cells): a break between characters, not inside 10日
    assert fit_cell("見直しまで10日", 10).plain == "見直しまで\n10日"
    assert fit_cell("見直しまで10日", 8).plain == "見直しま\nで10日"
    # a line never starts with a closing bracket or the long-vowel mark
    assert fit_cell("ペース（SNS）", 8).plain == "ペース\n（SNS）"
    assert fit_cell("未達ペース", 6).plain == "未達\nペース"  # ー may not start a line: ペ goes with it
    assert line_count("未達ペース", 6) == 2
    assert fit_cell("ボトルネック", 8, Fit.NAME).plain == "ボトル" + ELLIPSIS  # a katakana word is whole


def test_styles_survive_the_breaking() -> None:
    text = Text("off track", style="red")
    out = fit_cell(text, 5, Fit.WORDS)
    assert out.plain == "off\ntrack" and all(span.style == "red" for span in out.spans)


def test_plan_and_check_see_the_same_data() -> None:
    """One evaluation path: the KGI actual plan back-calculates from is the one check reports."""
    code, out, _ = run("plan", "-c", str(SAAS), "--as-of", "2026-11-20", "--format", "json")
    assert code == 0
    plan = json.loads(out)
    _, out, _ = run(
        "check",
        "-c",
        str(SAAS),
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
        "--no-history",
        "--fail-on",
        "never",
    )
    check = json.loads(out)
    # the saas sample's revenue from 2026-06-01 to 2026-11-20 is 63,000,000 (README, KGI line)
    assert plan["kgi"]["actual"] == check["kgi"]["actual"] == 63_000_000
