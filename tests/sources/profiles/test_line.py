def test_message_report_in_cp932_with_japanese_dates(inspect):
    report = inspect("line/message_report.csv")
    assert (report["platform"], report["encoding"], report["rows"]) == ("line", "cp932", 4)
    assert report["columns"]["delivered"] == "配信数"
    assert report["date_range"] == ["2026-10-03", "2026-10-24"]
    assert report["metrics"] == {"clicks": 3400, "delivered": 50230, "opens": 26150}


def test_friends_report_followers_are_adds_minus_blocks(tmp_path):
    from kpi_cli.sources import read_export

    path = tmp_path / "friends.csv"
    path.write_bytes("日付,友だち追加数,ブロック数\n20261001,12,3\n20261002,8,5\n".encode("cp932"))
    export = read_export(path)
    assert (export.platform, export.frame["followers"].sum()) == ("line", 12.0)
