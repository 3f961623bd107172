"""The YAML defects of issue 7, each reproduced in process: bombs, recursion, dates, NUL, quotes."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import pytest

from kpi_cli.config import load_config, yaml_positions
from kpi_cli.config.loader import MAX_CONFIG_BYTES
from kpi_cli.config.yaml_positions import MAX_DEPTH, parse
from kpi_cli.errors import ConfigError
from tests.config.test_loader import GOOD


def _error(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "config.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return str(info.value).replace(str(path), "config.yaml")


def _billion_laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_fast(tmp_path: Path) -> None:
    # 10 levels of 10 aliases: 10**9 values once expanded; it used to run for 9 minutes and 10 GB.
    started = time.perf_counter()
    message = _error(tmp_path, _billion_laughs(10))
    assert time.perf_counter() - started < 0.5
    # a0 is 1 + 1 = 2 values, a_i is 1 + 10 * size(a_{i-1}): a4 = 22222 values, a5 = 222221 > 100000.
    assert message == "config.yaml:6: broken YAML: aliases here expand to more than 100,000 values"


def test_small_alias_bomb_is_refused(tmp_path: Path) -> None:
    # The 318-byte shape from the issue: few bytes, every level multiplying the one before.
    names = "abcdefghi"
    text = "a: &a [x]\n" + "".join(
        f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in itertools.pairwise(names)
    )
    assert len(text.encode()) < 320  # 9**8 = 43 million values once expanded
    assert "expand to more than" in _error(tmp_path, text)


def test_aliases_that_share_a_block_still_work(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    target: 600\n", "    target: 600\n    owner: &who Tanaka\n    escalate_to: *who\n"
    )
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    kpi = load_config(path).config.kpis[0]
    assert (kpi.owner, kpi.escalate_to) == ("Tanaka", "Tanaka")


def test_recursive_alias_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    assert _error(tmp_path, "a: &a [*a]\n") == "config.yaml:1: broken YAML: an alias refers to itself"


def test_recursive_mapping_alias(tmp_path: Path) -> None:
    assert "refers to itself" in _error(tmp_path, "a: &a\n  b: *a\n")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 5000])
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, depth: int) -> None:
    # Flow lists `[[[...]]]` on line 2; the composer used to recurse into a RecursionError past ~500.
    text = "version: 1\nx: " + "[" * depth + "]" * depth + "\n"
    message = _error(tmp_path, text)
    # The outer list is level 2 (the document mapping is level 1), so level MAX_DEPTH + 1 is
    # the (MAX_DEPTH)th bracket, at column 4 + MAX_DEPTH - 1.
    assert message == f"config.yaml:2:{3 + MAX_DEPTH}: broken YAML: nested more than {MAX_DEPTH} levels deep"


def test_nesting_at_the_limit_parses(tmp_path: Path) -> None:
    depth = MAX_DEPTH - 1  # plus the top-level mapping: exactly MAX_DEPTH levels
    data, _ = parse("x: " + "[" * depth + "]" * depth + "\n", tmp_path / "c.yaml")
    for _ in range(depth - 1):
        data = data["x"] if isinstance(data, dict) else data[0]
    assert data == [[]] or data == []


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2026-00-10"])
def test_impossible_date_names_its_line(tmp_path: Path, day: str) -> None:
    text = GOOD.replace("    target: 600\n", f"    target: 600\n    review_by: {day}\n")
    # review_by is on line 18 of GOOD plus one; the value starts at column 16.
    assert _error(tmp_path, text) == f"config.yaml:18:16: broken YAML: '{day}' is not a real date"


def test_nul_byte_is_reported_by_line(tmp_path: Path) -> None:
    text = GOOD.replace("  metric: revenue", "  metric: reve\x00nue")
    # `  metric: reve` is 14 characters: the NUL is column 15 of line 10.
    assert _error(tmp_path, text) == "config.yaml:10:15: broken YAML: a NUL byte is not allowed"


def test_unterminated_quote_is_reported_where_it_opens(tmp_path: Path) -> None:
    filler = "".join(f"# comment {i}\n" for i in range(330))
    text = GOOD + filler + 'x: "never closed\n' + "".join(f"y{i}: 1\n" for i in range(20))
    line = GOOD.count("\n") + 330 + 1
    assert _error(tmp_path, text) == f"config.yaml:{line}:4: broken YAML: a quoted value is never closed"


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    raw = GOOD.encode().replace(b"name: test", b"name: t\x93st")
    assert _error(tmp_path, raw) == "config.yaml:2: config is not UTF-8 text (byte 18)"


def test_oversize_config_is_refused_before_reading(tmp_path: Path) -> None:
    text = GOOD + "#" * MAX_CONFIG_BYTES + "\n"
    size = len(text)
    assert _error(tmp_path, text) == (
        f"config.yaml: the config file is {size:,} bytes, more than the {MAX_CONFIG_BYTES:,} allowed"
    )


def test_directory_is_refused_by_kind(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r": is a directory, expected a config file$"):
        load_config(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match=r": is a named pipe \(FIFO\), expected a config file$"):
        load_config(fifo)


def test_duplicate_key_still_refused(tmp_path: Path) -> None:
    assert (
        _error(tmp_path, GOOD + "name: again\n") == "duplicate key 'name' at config.yaml:18"
    )  # GOOD has 17 lines


def test_merge_key_override_is_not_a_duplicate(tmp_path: Path) -> None:
    text = GOOD.replace("    target: 600\n", "    target: 600\n    rules: {pace: &p {on_track: 0.9}}\n")
    text += "defaults:\n  pace:\n    <<: *p\n    on_track: 0.8\n"
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_config(path).config.defaults.pace.on_track == 0.8  # type: ignore[union-attr]


def test_a_big_file_without_aliases_is_not_blamed_on_aliases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit lowered to 100 so the case stays fast: 60 `k: v` pairs are 121 values with the
    # document mapping, and no alias anywhere.
    monkeypatch.setattr(yaml_positions, "MAX_EXPANDED_NODES", 100)
    text = "".join(f"k{i}: {i}\n" for i in range(60))
    with pytest.raises(ConfigError) as info:
        parse(text, tmp_path / "c.yaml")
    assert str(info.value) == f"{tmp_path / 'c.yaml'}:1: broken YAML: the file holds more than 100 values"
