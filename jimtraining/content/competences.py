"""The JIM competences (modules/competences.yml): one short list that module goals, quiz questions (through their
goal) and rubric criteria point at, so authors, lecturers and trainers speak of the same skills."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.checks import SLUG_RE
from jimtraining.content.problems import Problem
from jimtraining.content.yamlmap import read_yaml_file

#: At most this many competences: a list people can keep in mind.
MAX_COMPETENCES = 8
FILENAME = "competences.yml"


@dataclass(frozen=True)
class Competence:
    id: str
    position: int
    name: str
    description: str


def load_competences(root: Path, problems: list) -> dict[str, Competence]:
    """The competences in root/competences.yml by id (in file order), or {} when the file is absent. Problems are
    appended as path:line: message, never raised."""
    path = root / FILENAME
    if not path.is_file():
        return {}
    loaded = read_yaml_file(path, FILENAME, problems)
    if loaded is None:
        return {}
    data, lines = loaded
    items = data.get("competences") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        problems.append(Problem(FILENAME, 1, _("'competences' ontbreekt of is leeg")))
        return {}
    if len(items) > MAX_COMPETENCES:
        problems.append(Problem(FILENAME, lines.line("competences"), _(
            "hoogstens %(n)s competenties: een korte lijst die iedereen kan onthouden", n=MAX_COMPETENCES)))
    competences: dict[str, Competence] = {}
    for index, item in enumerate(items):
        at = lines.line("competences", index)
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) and item[key].strip()
                                                 for key in ("id", "name", "description")):
            problems.append(Problem(FILENAME, at,
                                    _("elke competentie heeft een 'id', een 'name' en een 'description'")))
            continue
        if set(item) - {"id", "name", "description"}:
            problems.append(Problem(FILENAME, at, _("onbekend veld bij een competentie (toegestaan: id, name, "
                                                    "description)")))
        key = item["id"].strip()
        if not SLUG_RE.match(key) or len(key) > 60:
            problems.append(Problem(FILENAME, at, _("competentie-id '%(id)s': kleine letters, cijfers en streepjes",
                                                    id=key)))
        elif key in competences:
            problems.append(Problem(FILENAME, at, _("dubbele competentie-id '%(id)s'", id=key)))
        else:
            competences[key] = Competence(key, index + 1, item["name"].strip(), item["description"].strip())
    return competences
