"""Google Search Console performance export (`Dates.csv` of the zip): CTR is a percent string,
position an average; both are rates and stay unmapped.

The headers follow the account's language. Metric headers per language as quoted in public
projects' Search Console import tests (Clics, Klicks/Impressionen, Clics/Impresiones,
클릭수/노출수/게재순위, 点击次数/展示次数/排名); the date header of `Dates.csv` in French, German,
Spanish, Korean and Chinese (`Date`, `Datum`, `Fecha`, `날짜`, `日期`) is a GUESS.
"""

from __future__ import annotations

from kpi_cli.sources.profile import Profile

PROFILE = Profile(
    name="search_console",
    title="Google Search Console performance export (Dates.csv)",
    date=("date", "日付", "datum", "fecha", "날짜", "日期"),
    metrics={
        "clicks": ("clicks", "クリック数", "clics", "klicks", "클릭수", "点击次数"),
        "impressions": ("impressions", "表示回数", "impressionen", "impresiones", "노출수", "展示次数"),
    },
    detect=(
        ("clicks", "impressions", "ctr", "position"),
        ("クリック数", "表示回数", "ctr", "掲載順位"),
        ("clics", "impressions", "ctr", "position"),
        ("klicks", "impressionen", "ctr", "position"),
        ("clics", "impresiones", "ctr", "posición"),
        ("클릭수", "노출수", "게재순위"),
        ("클릭수", "노출수", "평균 게재순위"),
        ("点击次数", "展示次数", "排名"),
        ("点击次数", "展示次数", "平均排名"),
    ),
)
