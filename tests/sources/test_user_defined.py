"""User-defined YAML profiles next to the config: `*.profile.yaml` or `profiles/*.yaml`."""

import pytest

from kpi_cli.commands.platforms import list_platforms
from kpi_cli.errors import ConfigError
from kpi_cli.sources import read_export


def test_profile_next_to_the_config_is_detected(inspect, fixtures):
    report = inspect("user_defined/satori_customers.csv", profiles_dir=fixtures / "user_defined")
    assert (report["platform"], report["rows"]) == ("satori", 4)
    assert report["metrics"] == {"leads": 4}
    assert report["date_range"] == ["2026-10-01", "2026-10-09"]
    assert report["columns"] == {"date": "獲得日時", "channel": "流入元"}


def test_profile_in_a_profiles_folder_and_named_explicitly(tmp_path, fixtures):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "marketo.yaml").write_text(
        "name: marketo\ndate: [Created At]\nmetrics:\n  leads: [New Leads]\n  customers: [Won]\n"
    )
    data = tmp_path / "marketo.csv"
    data.write_text("Created At,New Leads,Won\n2026-10-01,4,1\n2026-10-02,6,\n")
    export = read_export(data, platform="marketo", profiles_dir=tmp_path)
    assert export.frame[["leads", "customers"]].sum(min_count=1).to_dict() == {
        "leads": 10.0,
        "customers": 1.0,
    }


def test_user_profiles_are_listed(fixtures):
    names = [row["name"] for row in list_platforms(fixtures / "user_defined")]
    assert names[0] == "satori"


def test_invalid_profile_names_the_file_and_the_key(tmp_path):
    (tmp_path / "bad.profile.yaml").write_text("name: bad\nmetrics:\n  signups: [Signups]\n")
    with pytest.raises(ConfigError, match=r"bad\.profile\.yaml: metrics: .*unknown metric signups"):
        read_export(tmp_path / "x.csv", profiles_dir=tmp_path)
