"""YAML parsing that remembers where every key stands, so errors can say `file:line`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kpi_cli.errors import ConfigError, location

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]


def parse(text: str, path: Path) -> tuple[Any, Positions]:
    """The YAML document as Python data plus the (line, column) of every key and list item."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or exc.context or "not valid YAML"
        raise ConfigError(f"{location(path, line, col)}: broken YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: broken YAML: {exc}") from exc
    positions: Positions = {}
    if node is not None:
        _walk(node, (), positions, path)
    return data, positions


def _walk(node: yaml.Node, loc: Loc, positions: Positions, path: Path) -> None:
    positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            here = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if (*loc, key) in positions:
                raise ConfigError(f"duplicate key '{key}' at {location(path, here[0])}")
            positions[(*loc, key)] = here
            _walk(value_node, (*loc, key), positions, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*loc, index), positions, path)


def line_of(positions: Positions, loc: Loc) -> int | None:
    """The line of `loc`, or of its nearest ancestor that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]][0]
    return None
