"""Load YAML and remember the line of every key and list item, for `path:line: message` problems."""

from __future__ import annotations

import yaml


class LineMap:
    """Lines (1-based, in the file) of the nodes of a YAML document, addressed by a path of keys and indices."""

    def __init__(self, root: yaml.Node | None, first_line: int = 1):
        self.lines: dict[tuple, int] = {}
        self.offset = first_line - 1
        self._seen: set[int] = set()
        if root is not None:
            self._walk(root, ())

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


def load_yaml_with_lines(text: str) -> tuple[object, LineMap]:
    """Parse YAML; raises yaml.YAMLError (or RecursionError for absurd nesting)."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    return data, LineMap(node)


def read_yaml_file(path, relpath: str, problems: list):
    """Read a YAML content file: (data, LineMap), or None after adding a path:line: message to `problems`."""
    from flask_babel import gettext as _

    from jimtraining.curriculum.loader import Problem

    try:
        return load_yaml_with_lines(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        problems.append(Problem(relpath, 1, _("het bestand kan niet worden gelezen")))
    except RecursionError:
        problems.append(Problem(relpath, 1, _("ongeldige YAML: te diep genest")))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(relpath, mark.line + 1 if mark else 1, _("ongeldige YAML: %(reason)s", reason=reason)))
    return None
