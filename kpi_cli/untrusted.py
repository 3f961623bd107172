"""Text from files and configs is untrusted: it must never steer the terminal or break a format.

An export can carry escape sequences (`ESC ]8;;` links, `ESC [2J`, window titles), bidi overrides
that reorder what a reader sees, or NULs. `clean` removes them before any output; each renderer
then escapes for its own format (rich markup, JSON, Markdown, XML). Newlines and tabs survive
`clean` (a multi-line comment is legitimate); `one_line` folds them for one-line messages.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides and isolates;
# the invisible marks that reorder or hide text (LRM/RLM/ALM, zero-width joiners are harmless).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]")
# Unicode category Cs is exactly U+D800..U+DFFF; one regex scan instead of a category lookup per
# character (a `--by campaign` JSON report cleans 1.5M strings: 16 s).
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_ELLIPSIS = "…"


def clean(text: object) -> str:
    """The text without control characters, bidi controls or unpaired surrogates."""
    value = text if isinstance(text, str) else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _UNSAFE.sub("", value)
    if _SURROGATE.search(value):  # lone surrogates cannot be encoded
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def one_line(text: object, limit: int = 0) -> str:
    """`clean`, with every run of white space (newlines included) folded into one space.

    With `limit`, longer text is cut at a character boundary and ends in an ellipsis.
    """
    value = _SPACES.sub(" ", clean(text)).strip()
    if limit and len(value) > limit:
        return value[: max(limit - 1, 0)] + _ELLIPSIS
    return value


def excerpt(value: object, limit: int = 40) -> str:
    """A short, quoted, cleaned excerpt of a cell for an error message: never the whole file."""
    return repr(one_line(value, limit))
