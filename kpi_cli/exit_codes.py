"""Exit codes are a contract for cron and CI users: computed by one pure function.

A CI gate reads 1 as "a KPI failed". Nothing but a finding may produce it: bad input is 2, a bug
in kpi is 3, so a crash can never pass for (or hide behind) a business failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum, StrEnum

from kpi_cli.findings import Severity


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # a finding reached --fail-on
    ERROR = 2  # bad config, bad data or bad usage: one line on stderr naming where
    INTERNAL = 3  # a bug in kpi: one line on stderr, the traceback only with --debug
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT (128 + 2)


class FailOn(StrEnum):
    WARN = "warn"
    FAIL = "fail"
    NEVER = "never"


FAIL_ON = tuple(f.value for f in FailOn)


def exit_code(severities: Iterable[Severity], fail_on: str) -> ExitCode:
    """1 when any finding reaches `fail_on` (warn or fail), 0 otherwise; `never` always gives 0."""
    if fail_on == FailOn.NEVER:
        return ExitCode.OK
    threshold = Severity(str(fail_on))
    worst = max(severities, default=Severity.INFO)
    return ExitCode.FINDINGS if worst >= threshold else ExitCode.OK
