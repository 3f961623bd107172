"""Exit codes are a contract for cron and CI users: computed by one pure function."""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from kpi_cli.findings import Severity


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    ERROR = 2


FAIL_ON = ("warn", "fail", "never")


def exit_code(severities: Iterable[Severity], fail_on: str) -> ExitCode:
    """1 when any finding reaches `fail_on` (warn or fail), 0 otherwise; `never` always gives 0."""
    if fail_on == "never":
        return ExitCode.OK
    threshold = Severity(fail_on)
    worst = max(severities, default=Severity.INFO)
    return ExitCode.FINDINGS if worst >= threshold else ExitCode.OK
