"""A file `generic` reads that looks like a platform's export is named in a warning; validate
advises mapping the numeric columns nobody reads."""

from kpi_cli.config.models import SourceConfig
from kpi_cli.ingest import SourceSpan
from kpi_cli.sources import read_export
from kpi_cli.verify import advice


def test_partial_platform_signature_read_as_generic_warns(tmp_path):
    path = tmp_path / "perf.csv"
    path.write_text("date,clicks,impressions,ctr\n2026-10-01,10,100,10%\n", encoding="utf-8")
    export = read_export(path)
    assert export.platform == "generic"
    assert export.warnings == [
        "perf.csv looks like a search_console export (has clicks, impressions, ctr; lacks position); "
        "read as generic, so only its canonical headers are read"
    ]


def test_canonical_headers_alone_are_no_near_match(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("date,clicks,impressions\n2026-10-01,10,100\n", encoding="utf-8")
    assert read_export(path).warnings == []


def test_validate_advises_mapping_an_unread_count_but_not_a_rate(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text(
        "Day,Campaign name,Amount spent (USD),Results,Cost per result,Frequency\n"
        "2026-10-01,A,10,40,0.25,1.5\n2026-10-02,A,20,28,0.71,1.2\n",
        encoding="utf-8",
    )
    span = SourceSpan(SourceConfig(name="meta", path="meta.csv"), [read_export(path)])
    # 40 + 28 = 68; `Cost per result` and `Frequency` are ratios: no advice.
    assert advice([span]) == [
        "source 'meta': `Results` (68) in meta.csv is not read; map it with `columns: {METRIC: Results}`"
    ]
