"""Property tests of the config loader (issue 7): whatever the text, the outcome is a loaded
config or a ConfigError whose every line names the file (and the line wherever there is one)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_cli.config import LoadedConfig, load_config
from kpi_cli.errors import ConfigError
from tests.config.test_loader import GOOD

_HOSTILE_VALUES = [
    "true", "null", "~", ".nan", "-.inf", "1e999", "2026-02-30", "2026-13-01", "0001-01-01", "-1", "0",
    "[]", "{}", "[", "{", "'open", '"open', "&a [*a]", "*nope", "!!binary aGk=", "!!python/name:os.system",
    "\x00", "\x1b[2J", "\u202e", "a: b: c", "- x", "|", ">", "@x", "`x`", "%YAML 1.1", "? x", "1_000",
    "0x10", "0o17", "+12", "1:20", "yes", "off", "2026-10-01T10:00:00", "[*a]", "&a x",
]  # fmt: skip
_GOOD_LINES = GOOD.splitlines()
_LOCATED = re.compile(r":\d+(:\d+)?\b")


def _outcome(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            assert isinstance(load_config(path), LoadedConfig)
        except ConfigError as exc:
            lines = str(exc).splitlines()
            assert lines, "an empty error"
            for line in lines:
                assert str(path) in line, line
                # Only whole-file problems may go without a line number.
                if not _LOCATED.search(line.split(str(path), 1)[1]):
                    assert "top level" in line or "is not UTF-8" in line or "broken YAML" in line, line


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    lines = list(_GOOD_LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "delete", "duplicate", "indent", "insert"]))
        line = lines[index]
        if action == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {draw(st.sampled_from(_HOSTILE_VALUES))}"
        elif action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, line)
        elif action == "indent":
            lines[index] = " " * draw(st.integers(0, 6)) + line.lstrip()
        else:
            lines.insert(index, draw(st.sampled_from(_HOSTILE_VALUES)))
        if not lines:
            break
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutated())
def test_property_any_mutation_of_a_valid_config(text: str) -> None:
    _outcome(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from([*_HOSTILE_VALUES, "\n", "  ", ": ", "- ", "version: 1\n", "kgi:\n"]), max_size=12
    ).map("".join)
)
def test_property_any_yaml_text(text: str) -> None:
    _outcome(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_property_any_unicode_text(text: str) -> None:
    _outcome(text)
