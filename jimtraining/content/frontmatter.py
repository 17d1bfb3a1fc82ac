"""The front matter of a Markdown content file: '---', YAML fields, '---', then the Markdown body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask_babel import gettext as _

from jimtraining.content.problems import Problem
from jimtraining.content.yamlmap import LineMap, load_yaml_with_lines, read_text, yaml_problem


@dataclass
class FrontMatter:
    data: dict
    body: str
    #: The file's line of the first line of the body.
    body_line: int
    #: Lines of the fields and their list items; a field that is not there points at line 1 (the first '---').
    lines: LineMap


def parse_front_matter(text: str, relpath: str, problems: list) -> FrontMatter | None:
    """Split '---\\nyaml\\n---\\nbody'; report problems with file line numbers."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(relpath, 1, _("het bestand begint niet met front matter (een regel '---')")))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        problems.append(Problem(relpath, 1, _("de front matter wordt niet afgesloten met '---'")))
        return None
    try:
        data, line_map = load_yaml_with_lines("\n".join(lines[1:end]), first_line=2, root_line=1)
    except (yaml.YAMLError, RecursionError) as error:
        problems.append(yaml_problem(error, relpath, first_line=2))
        return None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(Problem(relpath, 2, _("de front matter moet uit velden bestaan (naam: waarde)")))
        return None
    body = "\n".join(lines[end + 1:])
    if text.endswith("\n"):
        body += "\n"
    return FrontMatter(data, body, end + 2, line_map)


def read_front_matter(path: Path, relpath: str, problems: list) -> FrontMatter | None:
    """Read a Markdown content file with front matter, or None after adding a problem."""
    text = read_text(path, relpath, problems)
    return None if text is None else parse_front_matter(text, relpath, problems)
