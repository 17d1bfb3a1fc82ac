"""File names, paths and links of the curriculum's Markdown files: which file is a lesson, where a relative link
points, and the check of every link and picture in a module or lesson text."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.checks import SLUG
from jimtraining.content.problems import Problem

MODULE_DIR_RE = re.compile(rf"^(\d{{2}})-({SLUG})$")
LESSON_FILE_RE = re.compile(rf"^(\d{{2}})-({SLUG})\.md$")
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}

_LINK_RE = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_REF_DEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_REF_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\[([^\]]*)\]")
_HTML_IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_CODE_SPAN_RE = re.compile(r"`+[^`]*`+")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def split_slug(name: str, pattern: re.Pattern) -> tuple[int, str] | None:
    match = pattern.match(name)
    return (int(match.group(1)), match.group(2)) if match else None


def lesson_for_path(relpath: str) -> tuple[str, str] | None:
    """'01-wat-is-jim/02-les.md' -> ('wat-is-jim', 'les'); None when the path is not a lesson."""
    parts = relpath.split("/")
    if len(parts) != 2:
        return None
    module = split_slug(parts[0], MODULE_DIR_RE)
    lesson = split_slug(parts[1], LESSON_FILE_RE)
    if not module or not lesson:
        return None
    return module[1], lesson[1]


def resolve_relative(source_relpath: str, target: str) -> str | None:
    """Resolve a link target written in a content file to a path relative to modules/.

    Returns None for targets that are not relative file links (web addresses, anchors, absolute paths) or
    that climb out of modules/.
    """
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target or _SCHEME_RE.match(target) or target.startswith(("/", "//")):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_relpath), target))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return joined


def is_relative_target(target: str) -> bool:
    return bool(target) and not target.startswith(("#", "/")) and not _SCHEME_RE.match(target)


def _strip_code(lines: list[str]) -> list[str]:
    """Blank out fenced code blocks and inline code so examples in code are not checked as links."""
    result, fence = [], None
    for line in lines:
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = None
            result.append("")
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            result.append("")
            continue
        result.append(_CODE_SPAN_RE.sub("", line))
    return result


def check_links(
    relpath: str, body: str, first_line: int, root: Path, lesson_paths: set[str], problems: list[Problem]
) -> None:
    """Check links to lessons and images in one Markdown body (inline and reference style)."""
    module_folder = relpath.split("/", 1)[0]
    lines = _strip_code(body.splitlines())
    definitions: dict[str, tuple[int, str]] = {}
    for offset, line in enumerate(lines):
        ref = _REF_DEF_RE.match(line)
        if ref:
            definitions[ref.group(1).strip().lower()] = (first_line + offset, ref.group(2))
    image_refs: dict[str, str] = {}
    for offset, line in enumerate(lines):
        lineno = first_line + offset
        for match in _LINK_RE.finditer(line):
            is_image, text, target = match.group(1) == "!", match.group(2), match.group(3)
            if is_image:
                _check_image(relpath, lineno, text, target, root, module_folder, problems)
            elif is_relative_target(target):
                _check_link(relpath, lineno, target, root, module_folder, lesson_paths, problems)
        for match in _REF_IMAGE_RE.finditer(line):
            label = (match.group(2) or match.group(1)).strip().lower()
            image_refs[label] = match.group(1)
            if label not in definitions:
                problems.append(Problem(relpath, lineno, _(
                    "afbeelding verwijst naar een onbekende referentie '%(label)s'", label=label)))
        if _HTML_IMG_RE.search(line):
            problems.append(Problem(relpath, lineno, _(
                "gebruik Markdown voor een afbeelding: ![beschrijving](images/bestand.png)")))
    for label, (lineno, target) in definitions.items():
        if label in image_refs:
            _check_image(relpath, lineno, image_refs[label], target, root, module_folder, problems)
        elif is_relative_target(target):
            _check_link(relpath, lineno, target, root, module_folder, lesson_paths, problems)


def _is_file(path: Path) -> bool:
    """Path.is_file() that treats names the system cannot handle (too long, no permission) as missing."""
    try:
        return path.is_file()
    except OSError:
        return False


def _check_image(relpath, lineno, alt, target, root, module_folder, problems):
    if not alt.strip():
        problems.append(Problem(relpath, lineno, _("afbeelding zonder alt-tekst: %(target)s", target=target)))
    if not is_relative_target(target):
        problems.append(Problem(relpath, lineno, _(
            "afbeelding '%(target)s' staat niet in de modulemap; de site laadt niets van andere websites",
            target=target)))
        return
    resolved = resolve_relative(relpath, target)
    if resolved is None or not resolved.startswith(module_folder + "/") or not _is_file(root / resolved):
        problems.append(Problem(relpath, lineno, _("afbeeldingsbestand ontbreekt: %(target)s", target=target)))
    elif Path(resolved).suffix.lower() not in IMAGE_EXTENSIONS:
        problems.append(Problem(relpath, lineno, _("'%(target)s' is geen afbeelding (png, jpg, gif, svg, webp)",
                                                   target=target)))


def _check_link(relpath, lineno, target, root, module_folder, lesson_paths, problems):
    resolved = resolve_relative(relpath, target)
    if resolved is not None and resolved.endswith(".md"):
        if resolved not in lesson_paths:
            problems.append(Problem(relpath, lineno, _("kapotte link naar een les: %(target)s", target=target)))
        return
    if resolved is None or not resolved.startswith(module_folder + "/") or not _is_file(root / resolved):
        problems.append(Problem(relpath, lineno, _("kapotte link: %(target)s", target=target)))
    elif Path(resolved).suffix.lower() not in IMAGE_EXTENSIONS:
        problems.append(Problem(relpath, lineno, _(
            "link naar '%(target)s': de site toont uit een modulemap alleen lessen en afbeeldingen", target=target)))

