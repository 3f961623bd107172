"""Names read from a file, listed in an error message without echoing the file.

The unknown-layout error listed every header: a source path pointing at `/proc/self/environ`
printed the process environment, in CI its secrets. A list shows the first few names, each a
short escaped excerpt, then how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpi_cli.i18n import Wording
from kpi_cli.untrusted import one_line

SHOWN = 6


def listed_said(names: Sequence[str], shown: int = SHOWN) -> Wording | str:
    """`listed` as a catalog wording, so "and 4 more" and "none" read in the user's language."""
    if not names:
        return Wording("listing.none")
    rest = len(names) - shown
    head = ", ".join(one_line(name, 40) for name in names[:shown])
    return Wording("listing.more", {"head": head, "rest": rest}) if rest > 0 else head


def listed(names: Sequence[str], shown: int = SHOWN) -> str:
    """`a, b, c and 4 more`: at most `shown` names, each cleaned and cut to 40 characters.

    Unquoted, as the messages always listed them; cleaning removes what could steer a terminal.
    """
    head = ", ".join(one_line(name, 40) for name in names[:shown])
    rest = len(names) - shown
    if not names:
        return "none"
    return f"{head} and {rest:,} more" if rest > 0 else head
