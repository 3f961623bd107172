"""Summary rows in every language the profiles know, and only by a summary signature."""

import pytest

from kpi_cli.sources import read_export


@pytest.mark.parametrize(
    "label", ["Total", "TOTAL", "Total: Account", "合計", "合計: アカウント", "合計：キャンペーン", "総計"]
)
def test_summary_label_in_the_first_column_is_skipped(tmp_path, label):
    path = tmp_path / "g.csv"
    path.write_text(
        f"Day,Campaign,Impr.,Cost\n2026-10-01,A,100,10\n2026-10-02,A,200,20\n{label},,300,30\n",
        encoding="utf-8",
    )
    export = read_export(path)
    assert export.frame["impressions"].sum() == 300  # 100 + 200, the summary's 300 not added
    assert [(s.line, s.reason) for s in export.skipped] == [(4, "summary row")]


def test_a_word_that_only_starts_like_total_is_data(tmp_path):
    """`Totally new` is a campaign name, not a summary signature."""
    path = tmp_path / "g.csv"
    path.write_text("Day,Campaign,Impr.,Cost\n2026-10-01,Totally new,100,10\n", encoding="utf-8")
    export = read_export(path)
    assert (export.rows, export.skipped) == (1, [])


def test_meta_ad_report_summary_row_is_blank_in_every_name_column(tmp_path):
    """A row with a campaign name but no ad name is data; blank in both it is the summary."""
    path = tmp_path / "m.csv"
    path.write_text(
        "Day,Campaign name,Ad name,Amount spent (USD),Impressions\n"
        "2026-10-01,,,30,300\n"
        "2026-10-01,A,,10,100\n"
        "2026-10-01,A,Ad 2,20,200\n",
        encoding="utf-8",
    )
    export = read_export(path)
    assert export.frame["cost"].tolist() == [10.0, 20.0]
    assert [(s.line, s.reason) for s in export.skipped] == [(2, "summary row (no campaign, Ad name)")]
