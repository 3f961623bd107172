"""The rule registry is the one list: config validation, snooze names, output and the README follow it."""

from __future__ import annotations

import json
import re
import sys
import textwrap
import types
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.config import load_config
from kpi_cli.errors import ConfigError
from kpi_cli.findings import Finding, Severity
from kpi_cli.i18n import Wording
from kpi_cli.rules import registry
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.spec import RuleSettings, RuleSpec, Scope

ROOT = Path(__file__).parents[2]
SAAS = ROOT / "configs" / "saas_leadgen.yaml"


def readme_rule_names(readme: str) -> set[str]:
    """The rule names in the first column of the README's `| rule | fires when |` table."""
    section = readme.split("| rule | fires when |", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))


def test_readme_rule_table_lists_exactly_the_registered_rules() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_rule_names(readme) == set(registry.RULES)


def test_every_rule_code_is_prefixed_by_its_rule_and_unique() -> None:
    codes = registry.all_codes()
    assert len(codes) == len(set(codes))
    for name, rule in registry.RULES.items():
        assert rule.name == name
        assert all(code == name or code.startswith(f"{name}.") for code in rule.codes), name


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kpi.yaml"
    base = textwrap.dedent(
        """\
        version: 1
        name: t
        sources: [{name: s, path: s.csv, platform: generic}]
        kgi: {name: Revenue, metric: revenue, target: 1000, start: 2026-01-01, deadline: 2026-12-31}
        """
    )
    path.write_text(base + textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_kpi_freshness_max_age_is_refused_with_its_line(tmp_path: Path) -> None:
    # freshness.max_age is per source: in a KPI's rules it used to be accepted and change nothing.
    path = _write(
        tmp_path,
        """\
        kpis:
          - id: leads
            metric: leads
            target: 100
            rules:
              freshness:
                max_age: 2
        """,
    )
    with pytest.raises(ConfigError, match=r"unknown key 'max_age' at .*kpi.yaml:11"):
        load_config(path)


@pytest.mark.parametrize("rule", ["drop", "threshold", "stalled", "freshness", "pivot_deadline"])
def test_kgi_rules_other_than_pace_and_forecast_are_refused(tmp_path: Path, rule: str) -> None:
    # The KGI is judged by pace and forecast only: other rules' settings there had no effect.
    path = tmp_path / "kpi.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            version: 1
            name: t
            sources: [{{name: s, path: s.csv, platform: generic}}]
            kgi:
              name: Revenue
              metric: revenue
              target: 1000
              start: 2026-01-01
              deadline: 2026-12-31
              rules:
                {rule}: {{enabled: false}}
            kpis: [{{id: leads, metric: leads, target: 100}}]
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=rf"unknown key '{rule}' at .*kpi.yaml:11"):
        load_config(path)


def test_settings_accepted_where_they_have_effect(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """\
        kpis: [{id: leads, metric: leads, target: 100, rules: {freshness: {enabled: false}}}]
        defaults: {freshness: {max_age: 5d}}
        """,
    )
    config = load_config(path).config
    assert config.kpis[0].rules.settings("freshness") is not None
    assert config.defaults.settings("freshness") is not None


class _EchoCode(StrEnum):
    SAID = "echo.said"


class _EchoSettings(RuleSettings):
    word: str = "hello"


def _echo(ctx: RuleContext) -> list[Finding]:
    from kpi_cli.config.settings import rule_settings

    settings = rule_settings(ctx.config, None, "echo", _EchoSettings)
    if not settings.enabled:
        return []
    return [
        Finding(
            rule="echo",
            severity=Severity.WARN,
            says=Wording("echo.said", {"word": settings.word}),
            code=_EchoCode.SAID,
            evidence={"word": settings.word},
        )
    ]


@pytest.fixture
def echo_rule() -> Iterator[types.ModuleType]:
    """A rule module that exists only in this test, registered with one line (as a new rule would be)."""
    module = types.ModuleType("echo_rule")
    module.RULE = RuleSpec(  # type: ignore[attr-defined]
        name="echo",
        summary="echo: says a word",
        codes=_EchoCode,
        run=_echo,
        settings={Scope.DEFAULTS: _EchoSettings},
        messages={"en": {"echo.said": "echo says {word}"}, "ja": {"echo.said": "エコー「{word}」"}},
    )
    sys.modules["echo_rule"] = module
    registry.RULES["echo"] = module.RULE  # type: ignore[attr-defined]
    registry.install(registry.RULES)
    try:
        yield module
    finally:
        del registry.RULES["echo"], sys.modules["echo_rule"]
        registry.install(registry.RULES)


@pytest.mark.usefixtures("echo_rule")
def test_a_new_rule_module_plugs_into_config_output_and_readme_check(tmp_path: Path) -> None:
    # Config validation: its settings are accepted under defaults:, refused where it has no scope.
    (tmp_path / "configs").mkdir()
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    with_word = tmp_path / "configs" / "echo.yaml"
    text = SAAS.read_text(encoding="utf-8")
    assert "\ndefaults:" not in text  # the sample sets no defaults, so appending them is the only change
    with_word.write_text(text + "\ndefaults:\n  echo: {word: konnichiwa}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["check", "-c", str(with_word), "--as-of", "2026-11-20", "--format", "json"],
        env={"COLUMNS": "160", "NO_COLOR": "1"},
    )
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    echoed = [f for f in doc["findings"] if f["rule"] == "echo"]
    assert echoed and echoed[0]["code"] == "echo.said" and echoed[0]["message"] == "echo says konnichiwa"
    # Snoozes may name it.
    assert "echo" in registry.RULES
    # The README check now reports it as missing from the table.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(registry.RULES) - readme_rule_names(readme) == {"echo"}


def test_the_fixture_rule_is_gone_afterwards() -> None:
    assert "echo" not in registry.RULES
    assert "echo" not in registry.TABLES["DefaultsRules"].model_fields
