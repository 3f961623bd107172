"""YAML parsing that remembers where every key stands, so errors can say `file:line`.

A config is untrusted text, and YAML can make a small file huge: aliases (`&a`/`*a`) share one
node many times, so a 318-byte "billion laughs" file expands to billions of values, and `&a [*a]`
refers to itself. The positions used to be recorded by walking every alias, which never finished.
Now the file is composed once with its nesting bounded, the expanded size is counted over the
shared node graph (each node once, so counting is linear in the file) and refused past a limit,
and positions are recorded on the tree as written, never through an alias.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kpi_cli.errors import ConfigError, location
from kpi_cli.i18n import Wording
from kpi_cli.untrusted import one_line

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]

# A real config nests five or six levels; 64 leaves room and keeps PyYAML's recursive composer
# and constructor far from Python's recursion limit.
MAX_DEPTH = 64
# Values after expanding every alias. The largest shipped sample has a few hundred; aliases used
# to share a block of rule settings stay far below this, a bomb goes past it at once.
MAX_EXPANDED_NODES = 100_000


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses deep nesting while composing and names the line of bad dates."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # `2026-02-30` matches YAML's timestamp pattern, and date() then raises a bare ValueError.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"'{one_line(node.value, 40)}' is not a real date", node.start_mark
            ) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _BoundedLoader.construct_yaml_timestamp)


def parse(text: str, path: Path) -> tuple[Any, Positions]:
    """The YAML document as Python data plus the (line, column) of every key and list item."""
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # the reader checks characters here already
        node = loader.get_single_node()
        positions: Positions = {}
        if node is None:
            return None, positions
        _check_expansion(node, path)
        _walk(node, positions, path)
        return loader.construct_document(node), positions
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(worded=[_marked(exc, path)]) from None
    except yaml.reader.ReaderError as exc:
        # The reader knows a character position only; an editor wants the line.
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\x00")
        what = "a NUL byte" if code == 0 else f"character #x{code:04x}"
        raise ConfigError(f"{location(path, line, column)}: broken YAML: {what} is not allowed") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: broken YAML: {one_line(exc, 200)}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _marked(exc: yaml.MarkedYAMLError, path: Path) -> Wording:
    """Where, then PyYAML's own words for what (English: they name YAML's grammar)."""
    # An unterminated quote is found at the end of the file (problem_mark); the quote that
    # opened it (context_mark) is where the user must look.
    quoted = bool(exc.context and "quoted scalar" in exc.context)
    mark = (exc.context_mark if quoted else None) or exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = exc.problem or exc.context or "not valid YAML"
    if exc.context and exc.problem and exc.problem.startswith("but "):
        problem = f"{exc.context}, {exc.problem}"  # "but found another document" alone says little
    where = location(path, line, col)
    if quoted:
        return Wording("error.yaml.unclosed_quote", {"where": where})
    return Wording("error.yaml", {"where": where, "problem": one_line(problem, 200)})


def _check_expansion(root: yaml.Node, path: Path) -> None:
    """Refuse a self-referring alias or one that expands past MAX_EXPANDED_NODES values.

    Sizes are memoized per node, so shared nodes are counted once however often they are used;
    the walk keeps its own stack because an alias chain can be deeper than the text's nesting.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    shared = False
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_EXPANDED_NODES:
                line = node.start_mark.line + 1
                what = "aliases here expand to" if shared else "the file holds"
                raise ConfigError(
                    f"{location(path, line)}: broken YAML: {what} more than {MAX_EXPANDED_NODES:,} values"
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            line = node.start_mark.line + 1
            raise ConfigError(f"{location(path, line)}: broken YAML: an alias refers to itself")
        open_nodes.add(key)
        stack.append((node, True))
        children = _children(node)
        shared = shared or len({id(child) for child in children}) < len(children)
        for child in children:
            if id(child) in sizes:
                shared = True  # reached before: an alias
            else:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _walk(root: yaml.Node, positions: Positions, path: Path) -> None:
    """Positions of the tree as written: a node reached a second time (an alias) is not entered."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.tag)
                here = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if (*loc, key) in positions:
                    raise ConfigError(f"duplicate key '{one_line(key, 60)}' at {location(path, here[0])}")
                positions[(*loc, key)] = here
                stack.append((value_node, (*loc, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*loc, index)) for index, item in enumerate(node.value))


def line_of(positions: Positions, loc: Loc) -> int | None:
    """The line of `loc`, or of its nearest ancestor that has one."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]][0]
    return None
