"""Read YAML and remember the line of every key and list item, for `path:line: message` problems."""

from __future__ import annotations

from pathlib import Path

import yaml
from flask_babel import gettext as _

from jimtraining.content.problems import Problem


class LineMap:
    """Lines (1-based, in the file) of the nodes of a YAML document, addressed by a path of keys and indices.

    `first_line` is the file's line of the document's first line (2 for front matter after its '---');
    `root_line`, when given, is where a path that is not in the document points (default: the document's first
    node)."""

    def __init__(self, root: yaml.Node | None, first_line: int = 1, root_line: int | None = None):
        self.lines: dict[tuple, int] = {}
        self.offset = first_line - 1
        self._seen: set[int] = set()
        if root is not None:
            self._walk(root, ())
        if root_line is not None:
            self.lines[()] = root_line

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.lines[path] = node.start_mark.line + 1 + self.offset
        if id(node) in self._seen:  # an alias: walked once already (aliases of aliases must not explode)
            return
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_path = path + (str(key_node.value),)
                self._walk(value_node, key_path)
                self.lines[key_path] = key_node.start_mark.line + 1 + self.offset
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, path + (index,))

    def line(self, *path) -> int:
        """The line of the deepest existing node on the path."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1 + self.offset)


def load_yaml_with_lines(text: str, first_line: int = 1, root_line: int | None = None) -> tuple[object, LineMap]:
    """Parse YAML; raises yaml.YAMLError (or RecursionError for absurd nesting)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    return data, LineMap(node, first_line, root_line)


def yaml_problem(error: Exception, relpath: str, first_line: int = 1) -> Problem:
    """The problem for a YAML document that cannot be parsed (what load_yaml_with_lines raised)."""
    if isinstance(error, RecursionError):
        return Problem(relpath, first_line, _("ongeldige YAML: te diep genest"))
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    line = mark.line + first_line if mark is not None else first_line
    return Problem(relpath, line, _("ongeldige YAML: %(reason)s", reason=reason))


def read_text(path: Path, relpath: str, problems: list) -> str | None:
    """The text of a content file (UTF-8, with or without a byte order mark), or None after adding a problem."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(relpath, 1, _("het bestand is geen UTF-8-tekst")))
    except OSError as exc:
        problems.append(Problem(relpath, 1, _("het bestand kan niet worden gelezen: %(reason)s",
                                              reason=exc.strerror or exc)))
    return None


def read_yaml_file(path: Path, relpath: str, problems: list) -> tuple[object, LineMap] | None:
    """Read a YAML content file: (data, LineMap), or None after adding a path:line: message to `problems`."""
    text = read_text(path, relpath, problems)
    if text is None:
        return None
    try:
        return load_yaml_with_lines(text)
    except (yaml.YAMLError, RecursionError) as error:
        problems.append(yaml_problem(error, relpath))
    return None
