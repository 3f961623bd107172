from __future__ import annotations

import pytest

from kpi_cli.exit_codes import ExitCode, exit_code
from kpi_cli.findings import Severity

INFO, WARN, FAIL = Severity.INFO, Severity.WARN, Severity.FAIL


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        ([], "fail", ExitCode.OK),
        ([INFO], "warn", ExitCode.OK),
        ([INFO, WARN], "fail", ExitCode.OK),
        ([INFO, WARN], "warn", ExitCode.FINDINGS),
        ([FAIL], "fail", ExitCode.FINDINGS),
        ([FAIL], "warn", ExitCode.FINDINGS),
        ([FAIL, WARN], "never", ExitCode.OK),
    ],
)
def test_exit_code(severities: list[Severity], fail_on: str, expected: ExitCode) -> None:
    assert exit_code(severities, fail_on) is expected


def test_exit_code_values_are_the_documented_contract() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2]
