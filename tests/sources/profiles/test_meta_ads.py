"""Meta Ads Manager: currency in the spend header, summary row without a campaign name."""


def test_campaign_report_in_jpy(inspect):
    report = inspect("meta_ads/acme-campaigns-Oct-1-2026-Oct-3-2026.csv")
    assert (report["platform"], report["rows"]) == ("meta_ads", 6)
    assert report["columns"]["cost"] == "Amount spent (JPY)"
    assert report["date_range"] == ["2026-10-01", "2026-10-03"]
    assert report["metrics"] == {
        "impressions": 157850,
        "reach": 96350,
        "clicks": 1735,
        "link_clicks": 1245,
        "cost": 177850,
        "leads": 37,
    }
    assert report["skipped"] == [{"line": 2, "reason": "summary row (no campaign)"}]


def test_any_currency_code_is_accepted(tmp_path):
    from kpi_cli.sources import read_export

    path = tmp_path / "m.csv"
    path.write_text('Day,Campaign name,Amount spent (USD),Impressions\n2026-10-01,A,"1,234.56",10\n')
    export = read_export(path)
    assert (export.platform, export.frame["cost"].tolist()) == ("meta_ads", [1234.56])
