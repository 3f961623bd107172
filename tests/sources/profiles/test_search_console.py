"""Search Console `Dates.csv` in each language it exports.

Metric and position headers per language as quoted in public projects' Search Console import
tests (found with the code search; repository names not given): `Clics,Impressions,CTR,Position`
(French), `Klicks,Impressionen,CTR,Position` (German), `Clics,Impresiones,CTR,Posición`
(Spanish), `클릭수,노출수,CTR,게재순위` (Korean), `点击次数,展示次数,点击率,平均排名` (Chinese).
GUESS: the date column's header in those five languages, and the figures.
"""

import pytest

from kpi_cli.sources import read_export

LAYOUTS = {
    "en": "Date,Clicks,Impressions,CTR,Position",
    "ja": "日付,クリック数,表示回数,CTR,掲載順位",
    "fr": "Date,Clics,Impressions,CTR,Position",
    "de": "Datum,Klicks,Impressionen,CTR,Position",
    "es": "Fecha,Clics,Impresiones,CTR,Posición",
    "ko": "날짜,클릭수,노출수,CTR,게재순위",
    "zh": "日期,点击次数,展示次数,点击率,平均排名",
}


@pytest.mark.parametrize("language", sorted(LAYOUTS))
def test_dates_csv_in_every_language(tmp_path, language):
    path = tmp_path / "Dates.csv"
    rows = "2026-10-01,12,340,3.5%,8.2\n2026-10-02,5,120,4.1%,12.9\n"
    path.write_text(LAYOUTS[language] + "\n" + rows, encoding="utf-8")
    export = read_export(path)
    assert export.platform == "search_console"
    # By hand: clicks 12 + 5, impressions 340 + 120; CTR and position stay unmapped.
    assert (export.frame["clicks"].sum(), export.frame["impressions"].sum()) == (17, 460)
    assert export.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]
    # CTR cells are percent strings (no sum); positions 8.2 + 12.9.
    assert [u.sum for u in export.unmapped] == [None, 21.1]
    assert export.warnings == []


def test_dates_export_with_percent_ctr(inspect):
    report = inspect("search_console/Dates.csv")
    assert (report["platform"], report["rows"]) == ("search_console", 7)
    assert report["date_range"] == ["2026-10-01", "2026-10-07"]
    assert report["metrics"] == {"impressions": 1510, "clicks": 170}
