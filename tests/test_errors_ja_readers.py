"""Issue 8, the readers' errors about a file as a whole (layout, date range, encoding, platform), said
in Japanese with no English word left but the file's own names, and in English exactly as before
(the English lines are written out by hand, as tests/sources has them)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from kpi_cli.errors import DataError
from kpi_cli.i18n import Lang
from kpi_cli.sources import read_export
from kpi_cli.sources.profiles import BUILTIN
from tests.test_errors_ja import ROOT, _base, english_left, run

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
