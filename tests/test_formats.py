"""--format markdown, --compact and the text footer, through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kpi_cli.cli import app
from kpi_cli.render.format_names import Format
from kpi_cli.render.formats import RENDERERS
from kpi_cli.render.markdown import escape

ROOT = Path(__file__).parent.parent
SAAS = ROOT / "configs" / "saas_leadgen.yaml"
ENV = {"COLUMNS": "80", "TERM": "dumb", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}


def _check(*args: str, config: Path = SAAS) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", "-c", str(config), "--as-of", "2026-11-20", *args], env=ENV)
    return result.exit_code, result.stdout


def test_every_format_name_has_a_renderer() -> None:
    assert set(RENDERERS) == set(Format)


def test_markdown_escapes_what_would_format_or_link() -> None:
    assert escape("*urgent* | [x](y) <b>_a_`c`~") == r"\*urgent\* \| \[x\](y) \<b\>\_a\_\`c\`\~"
    assert escape("line\nbreak\x1b[2J") == r"line break\[2J"  # one line, no ESC


def test_markdown_summary_has_kgi_line_kpi_table_findings_and_funnel() -> None:
    code, out = _check("--format", "markdown")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "**SaaS lead generation via SNS, FY2026 H2 · 2026-11 · as of 20 Nov 2026**"
    assert "KGI Closed revenue from SNS leads: 63,000,000 / 90,000,000 (70%) by 31 Dec 2026: at risk" in lines
    assert "| KPI | segment | actual | target | status | owner |" in lines
    assert (
        "| Cost per customer | all | 360,729 | 300,000 | at risk | Suzuki (performance marketing) |" in lines
    )
    findings = [line for line in lines if line.startswith("- **")]
    assert 1 <= len(findings) <= 5 and all(line.startswith(("- **fail**", "- **warn**")) for line in findings)
    assert (
        lines[-1].startswith("Funnel 2026-11: Impressions 223,275 → Clicks 2,587")
        # No bottleneck named: the funnel rule finds the Deals fall within chance (like the table).
        and "bottleneck" not in lines[-1]
    )


def test_markdown_escapes_a_hostile_kpi_name(tmp_path: Path) -> None:
    (tmp_path / "configs").mkdir()
    (tmp_path / "sample_data").symlink_to(ROOT / "sample_data")
    config = tmp_path / "configs" / "hostile.yaml"
    text = SAAS.read_text(encoding="utf-8").replace("name: Inquiries", "name: '*Inq* | [x](http://e.vil)'", 1)
    assert "*Inq*" in text
    config.write_text(text, encoding="utf-8")
    _, out = _check("--format", "markdown", config=config)
    assert r"| \*Inq\* \| \[x\](http://e.vil) | all |" in out


def test_compact_prints_one_greppable_line_per_finding() -> None:
    _, doc = _check("--format", "json")
    findings = json.loads(doc)["findings"]
    code, out = _check("--compact")
    lines = out.splitlines()
    assert code == 1 and len(lines) == len(findings)
    for line, finding in zip(lines, findings, strict=True):
        assert line.startswith(f"{finding['severity']} {finding['code']} {finding['kpi'] or '-'}")


def test_check_text_starts_with_the_tables_ends_with_the_footer_without_trailing_spaces() -> None:
    _, out = _check()
    lines = out.splitlines()
    assert lines[0].strip() == "KGI"
    assert out.index("KPIs") < out.index("Findings (11)")
    assert lines[-1] == f"config {SAAS} · period 2026-11 · as of 20 Nov 2026"
    assert not [line for line in lines if line.endswith(" ")]


def test_sparkline_sets_the_running_period_apart() -> None:
    import pandas as pd

    from kpi_cli.render.text import PARTIAL_MARK, sparkline

    values = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0, 5.0])  # 5.0: a month a third done, not a collapse
    # Scaled between 5 and 50 over 8 bars: 10 -> (5/45*7)=0 '▁', 50 -> 7 '█', 5 -> '▁'.
    assert sparkline(values).plain == "▁▃▄▆█▁"
    running = sparkline(values, running=True)
    assert running.plain == "▁▃▄▆█" + PARTIAL_MARK + "▁"
    assert [span.style for span in running.spans] == ["dim"]
