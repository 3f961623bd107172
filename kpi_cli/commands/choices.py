"""Checking an option against its choices, apart from options.py: that module loads the config
package (and pandas with it), which `kpi platforms` must not pay for."""

from __future__ import annotations

from kpi_cli.errors import UsageError


def check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError.said("error.usage.choice", option=option, value=value, choices=list(choices))
