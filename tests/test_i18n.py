"""Catalogs and --lang: every code worded in both languages, Japanese output free of English."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.i18n import Lang, Wording, catalog_keys, lang_from_env, render
from kpi_cli.i18n.formatting import day, number, percent, rate
from kpi_cli.rules.registry import RULES, all_codes

ROOT = Path(__file__).parent.parent
SAMPLES = sorted((ROOT / "configs").glob("*.yaml"))
ENV = {"COLUMNS": "160", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}


def test_every_rule_code_has_a_title_in_both_catalogs() -> None:
    # Derived from the registry, not a hand list: a new code without words fails here.
    for lang in Lang:
        keys = catalog_keys(lang)
        missing = [code for code in all_codes() if f"title.{code}" in keys] != all_codes()
        assert not missing, [code for code in all_codes() if f"title.{code}" not in keys]
    assert len(all_codes()) > 30  # the registry's codes really were checked


def test_the_catalogs_have_the_same_keys_and_fields() -> None:
    en, ja = catalog_keys(Lang.EN), catalog_keys(Lang.JA)
    assert en == ja
    import yaml

    def fields(lang: str) -> dict[str, set[str]]:
        data: dict[str, object] = {}
        for part in sorted((ROOT / "kpi_cli" / "i18n").glob(f"{lang}.*yaml")):  # the catalog and its parts
            data.update(yaml.safe_load(part.read_text(encoding="utf-8")))
        out = {}
        for key, entry in data.items():
            text = " ".join(v for k, v in entry.items() if k != "count") if isinstance(entry, dict) else entry
            out[key] = set(re.findall(r"{(\w+)", str(text)))
        return out

    en_fields, ja_fields = fields("en"), fields("ja")
    for key in en:
        assert en_fields[key] == ja_fields[key], key


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ja_JP.UTF-8"}, Lang.JA),
        ({"LANG": "en_US.UTF-8"}, Lang.EN),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, Lang.EN),  # LC_ALL wins over LANG
        ({"LC_MESSAGES": "ja_JP.eucJP", "LANG": "C"}, Lang.JA),
        ({"LC_ALL": "", "LANG": "ja_JP.UTF-8"}, Lang.JA),  # an empty variable counts as unset
        ({}, Lang.EN),
    ],
)
def test_language_from_the_locale(environ: dict[str, str], expected: Lang) -> None:
    assert lang_from_env(environ) is expected


def test_babel_formats_numbers_dates_and_percentages_per_language() -> None:
    assert day(dt.date(2026, 11, 30), "ja") == "2026年11月30日"
    assert day(dt.date(2026, 11, 30), "en") == "30 Nov 2026"
    assert number(1234567, "ja") == "1,234,567" and number(12.34, "en") == "12.3"
    assert percent(0.123, "ja", 1) == "12.3%"
    assert rate(0.0099, "en") == "0.99%"


def test_plural_forms_follow_the_language() -> None:
    one = Wording("stalled.too_few_periods", {"label": "leads", "have": 1, "needed": 3})
    two = Wording("stalled.too_few_periods", {"label": "leads", "have": 2, "needed": 3})
    assert render(one, Lang.EN) == "leads: 1 complete period of data, 3 needed to judge a stall"
    assert render(two, Lang.EN) == "leads: 2 complete periods of data, 3 needed to judge a stall"
    assert render(two, Lang.JA) == "leads：完了した期間のデータは2期間、停滞の判定には3期間必要"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout


def _allowed_words(config: Path) -> set[str]:
    """Proper nouns, ids, metric names and other words that come from the config or the data."""
    text = config.read_text(encoding="utf-8")
    for csv in (ROOT / "sample_data").rglob("*.csv"):
        text += "\n" + csv.read_text(encoding="utf-8", errors="replace")[:20000]
    rule_ids = {part for name in RULES for part in name.split("_")}  # the rule column shows rule ids
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)} | {"kgi", "kpi", "p", "cvr"} | rule_ids


@pytest.mark.parametrize("config", SAMPLES, ids=lambda p: p.stem)
def test_japanese_review_has_no_english_word_left(config: Path) -> None:
    code, out = _run("review", "-c", str(config), "--as-of", "2026-11-20", "--lang", "ja")
    assert code == 0
    english = {w for w in re.findall(r"[A-Za-z]+", out) if w.lower() not in _allowed_words(config)}
    assert english == set(), english
    assert "状況" in out and "指摘" in out and "年" in out


@pytest.mark.parametrize("config", SAMPLES, ids=lambda p: p.stem)
def test_each_sample_checks_in_both_languages_with_the_same_findings(config: Path) -> None:
    docs = {}
    for lang in ("en", "ja"):
        _, out = _run("check", "-c", str(config), "--as-of", "2026-11-20", "--format", "json", "--lang", lang)
        docs[lang] = json.loads(out)
    assert docs["en"]["lang"] == "en" and docs["ja"]["lang"] == "ja"
    strip = [
        [(f["code"], f["params"], f["evidence"]) for f in docs[lang]["findings"]] for lang in ("en", "ja")
    ]
    assert strip[0] == strip[1]  # the data is the same; only the words differ
    for en, ja in zip(docs["en"]["findings"], docs["ja"]["findings"], strict=True):
        assert en["message"] != ja["message"]


def test_lang_defaults_from_the_environment() -> None:
    args = ["check", "-c", str(SAMPLES[0]), "--as-of", "2026-11-20", "--format", "json"]
    ja = CliRunner().invoke(app, args, env={**ENV, "LC_ALL": "", "LANG": "ja_JP.UTF-8"})
    assert json.loads(ja.stdout)["lang"] == "ja"
    en = CliRunner().invoke(app, args, env=ENV)
    assert json.loads(en.stdout)["lang"] == "en"


def test_by_channel_names_its_json_field_after_the_dimension() -> None:
    config = ROOT / "configs" / "b2c_influencer.yaml"
    _, out = _run("check", "-c", str(config), "--as-of", "2026-11-20", "--format", "json", "--by", "channel")
    split = [k for k in json.loads(out)["kpis"] if k.get("dimension")]
    assert split and all(k["dimension"] == "channel" and k["segment"] is None for k in split)
    assert all(isinstance(k["channel"], str) and k["channel"] for k in split)


def test_a_catalog_file_may_not_define_a_key_twice() -> None:
    import yaml

    from kpi_cli.i18n.catalog import _UniqueKeys

    assert yaml.load("a: one\nb: two\n", Loader=_UniqueKeys) == {"a": "one", "b": "two"}
    with pytest.raises(AssertionError, match="defined twice in one file: a"):
        yaml.load("a: one\nb: two\na: three\n", Loader=_UniqueKeys)
