"""`PerTable`: one rule's settings per KPI `rules:` table, merged once, as `rule_settings` gives them.

Under `--by campaign` every view of a KPI carries that KPI's table (the views' copies share it), so
the rules ask once per table instead of once per view (issue 12). The reference is
`rule_settings` itself, asked of each table; the expected values are the config's, by hand.
"""

from __future__ import annotations

from kpi_cli.config.models import Config
from kpi_cli.config.settings import rule_settings
from kpi_cli.rules.drop import DropSettings
from kpi_cli.rules.spec import PerTable
from tests.config_with import config_with


def config() -> Config:
    return config_with(
        "per table",
        [
            {"id": "leads", "metric": "leads", "target": 10, "rules": {"drop": {"window": 6}}},
            {"id": "clicks", "metric": "clicks", "target": 10},
        ],
        defaults={"drop": {"warn": 0.3}},
    )


def test_each_table_gets_what_rule_settings_gives_it() -> None:
    cfg = config()
    settings_of = PerTable(cfg, "drop", DropSettings)
    leads, clicks = cfg.kpis[0].rules, cfg.kpis[1].rules
    copy = cfg.kpis[0].model_copy(update={"target": 5.0})  # a --by view's copy shares the table
    assert copy.rules is leads
    for table in (leads, clicks, None):
        assert settings_of(table) == rule_settings(cfg, table, "drop", DropSettings)
    # by hand: defaults' warn 0.3 for both; leads' own window 6, clicks' the default 3
    assert (settings_of(leads).warn, settings_of(leads).window) == (0.3, 6)
    assert (settings_of(clicks).warn, settings_of(clicks).window) == (0.3, 3)
    assert settings_of(copy.rules) is settings_of(leads)  # merged once, not per view


def test_the_table_asked_last_is_answered_by_identity_and_the_others_stay_right() -> None:
    # Views come a KPI at a time: leads, leads, clicks, None (a table-less KPI), leads again.
    cfg = config()
    settings_of = PerTable(cfg, "drop", DropSettings)
    leads, clicks = cfg.kpis[0].rules, cfg.kpis[1].rules
    asked = [settings_of(t) for t in (leads, leads, clicks, None, None, leads, clicks)]
    assert [s.window for s in asked] == [6, 6, 3, 3, 3, 6, 3]
    assert asked[0] is asked[1] is asked[5] and asked[2] is asked[6]
    assert asked[3] == rule_settings(cfg, None, "drop", DropSettings)
