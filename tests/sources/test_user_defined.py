"""User-defined YAML profiles next to the config: `*.profile.yaml` or `profiles/*.yaml`."""

import os

import pytest

from kpi_cli.commands.platforms import list_platforms
from kpi_cli.errors import ConfigError
from kpi_cli.sources import read_export
from kpi_cli.sources.canonical import METRICS
from kpi_cli.sources.profiles.user_defined import _ProfileFile, load_profile


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
    with pytest.raises(ConfigError) as error:
        read_export(tmp_path / "x.csv", profiles_dir=tmp_path)
    assert str(error.value) == (
        f"{tmp_path / 'bad.profile.yaml'}:2: metrics: unknown metric signups (known: {', '.join(METRICS)})"
    )


# --- hostile profile files: bounded like the config file, and nothing echoed raw ----------------


def _load(tmp_path, text: str) -> str:
    path = tmp_path / "p.profile.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_profile(path)
    return str(error.value).removeprefix(str(path))


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, below in zip("bcdefg", "abcdef", strict=True):  # 9**7 = 4.8 million values
        lines.append(f"{name}: &{name} [{', '.join([f'*{below}'] * 9)}]")
    message = _load(tmp_path, "name: x\n" + "\n".join(lines) + "\n")
    assert message == ":7: broken YAML: aliases here expand to more than 100,000 values"


def test_an_alias_that_refers_to_itself_is_refused(tmp_path):
    assert _load(tmp_path, "name: x\ndetect: &a [*a]\n") == ":2: broken YAML: an alias refers to itself"


def test_deep_nesting_is_refused(tmp_path):
    message = _load(tmp_path, "name: x\ndetect: " + "[" * 200 + "]" * 200 + "\n")
    assert message == ":2:72: broken YAML: nested more than 64 levels deep"  # 8 + 64 columns in


def test_a_huge_profile_is_refused_by_size_before_it_is_read(tmp_path):
    message = _load(tmp_path, "name: x\n" + "#" * 70_000)
    assert message == ": the profile file is 70,008 bytes, more than the 65,536 allowed"


def test_a_profile_that_is_not_a_regular_file_is_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo.profile.yaml")  # opening it would block forever
    with pytest.raises(ConfigError) as error:
        load_profile(tmp_path / "fifo.profile.yaml")
    assert (
        str(error.value)
        == f"{tmp_path / 'fifo.profile.yaml'}: is a named pipe (FIFO), expected a profile file"
    )


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "p.profile.yaml"
    path.write_bytes(b"name: x\ntitle: caf\xe9\n")
    with pytest.raises(ConfigError) as error:
        load_profile(path)
    assert str(error.value) == f"{path}:2: the profile is not UTF-8 text (byte 18)"


def test_a_list_at_the_top_is_refused(tmp_path):
    assert _load(tmp_path, "- a\n- b\n") == ": expected a mapping of profile keys (name, date, metrics, ...)"


def test_unknown_keys_are_cleaned_before_they_are_echoed(tmp_path):
    # A key holding a terminal escape and a right-to-left override, written as YAML escapes.
    message = _load(tmp_path, 'name: x\n"evil\\e[2J\\u202eyek": 1\n')
    assert message == f":2: evil[2Jyek: unknown key (known: {', '.join(_ProfileFile.model_fields)})"
    message = _load(tmp_path, 'name: x\nmetrics:\n  "sign\\u202eups\\e[2J": [a]\n')
    assert message.startswith(":2: metrics: unknown metric signups[2J (known: impressions,")
    assert "\x1b" not in message and "\u202e" not in message


def test_many_unknown_metrics_are_listed_six_at_most(tmp_path):
    names = "".join(f"  m{i}: [a]\n" for i in range(9))
    message = _load(tmp_path, "name: x\nmetrics:\n" + names)
    assert message.startswith(":2: metrics: unknown metric m0, m1, m2, m3, m4, m5 and 3 more (known: ")


def test_the_title_is_one_clean_line(tmp_path):
    path = tmp_path / "p.profile.yaml"
    path.write_text('name: x\ntitle: "two\\nlines \\e[31mred"\n', encoding="utf-8")
    assert load_profile(path).title == "two lines [31mred"
