"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding.

GitHub parses `::LEVEL key=value,key=value::message` lines from a step's output into
annotations. A message from data can contain the syntax itself, so it is escaped as the
Actions toolkit does (`@actions/core`, `escapeData`/`escapeProperty`): `%`, CR and LF in the
message; those plus `:` and `,` in a property value. Unescaped, a campaign named
`x\\n::error::...` would forge an annotation, and a comma would cut a title short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from kpi_cli.findings import Finding, Severity
from kpi_cli.untrusted import clean

LEVEL = {Severity.FAIL: "error", Severity.WARN: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return clean(escaped)  # then the remaining control characters (ESC, BEL...) go


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, properties: Iterable[tuple[str, str]] = ()) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties if value)
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def title(finding: Finding) -> str:
    """`kpi pace: leads (smb)`: the rule and whom it is about, short enough for an annotation."""
    subject = finding.kpi or "KGI"
    if finding.segment:
        subject += f" ({finding.segment})"
    return f"kpi {finding.rule}: {subject}"


def workflow_commands(findings: Sequence[Finding], describe: Callable[[Finding], str]) -> list[str]:
    """One workflow command per finding, worst first as given; `describe` renders the message."""
    return [command(LEVEL[f.severity], describe(f), [("title", title(f))]) for f in findings]
