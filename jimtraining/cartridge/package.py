"""The CC 1.1 package: imsmanifest.xml, a web page per module introduction and per lesson (rendered by the
platform's sanitised Markdown pipeline, pictures from the module folder included), a QTI file per quiz, and a
README (LEESMIJ.txt) that names what was left out."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from lxml import etree

from jimtraining.cartridge import qti
from jimtraining.cartridge.services import ModuleData, QuestionData, curriculum
from jimtraining.cartridge.xml import XSI, sub, to_bytes
from jimtraining.curriculum.links import IMAGE_EXTENSIONS, LESSON_FILE_RE, resolve_relative, split_slug
from jimtraining.rendering import render_markdown

CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMM_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOMR_NS = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
SCHEMA_LOCATIONS = (f"{CP_NS} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
                    f"{LOMM_NS} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd "
                    f"{LOMR_NS} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd")
QTI_TYPE = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
COURSE_TITLE = "JIM-aanpak: training voor professionals"
README = "LEESMIJ.txt"
TYPE_NAMES = {"matching": "combineren", "ordering": "in de goede volgorde zetten"}


@dataclass
class Export:
    data: bytes
    #: (module title, question number, type in words) of every question CC has no type for.
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    modules: int = 0
    quizzes: int = 0


def _page(title: str, body_html: str) -> bytes:
    """A small, complete HTML page; the title is escaped, the body comes from render_markdown (already safe)."""
    return (f'<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n<title>{escape(title)}</title>\n'
            f"</head>\n<body>\n<h1>{escape(title)}</h1>\n{body_html}\n</body>\n</html>\n").encode()


class _Pages:
    """Renders module and lesson texts with the links rewritten to the package's own files."""

    def __init__(self, modules_dir: Path, module_folders: set[str]):
        self.modules_dir, self.folders = modules_dir, module_folders
        self.files: dict[str, bytes] = {}

    def render(self, source_relpath: str, markdown_text: str) -> tuple[str, list[str]]:
        """(HTML, package paths of the pictures it shows). Pages keep the folder layout of modules/."""
        pictures: list[str] = []

        def resolve(target: str, is_image: bool) -> str | None:
            resolved = resolve_relative(source_relpath, target)
            if resolved is None:
                return None if is_image else target
            if is_image:
                if posixpath.splitext(resolved)[1].lower() not in IMAGE_EXTENSIONS:
                    return None
                path = self.modules_dir / resolved
                if resolved.split("/", 1)[0] not in self.folders or not path.is_file():
                    return None
                self.files[resolved] = path.read_bytes()
                pictures.append(resolved)
            elif resolved.endswith(".md"):
                resolved = resolved[:-3] + ".html"
            else:
                return None
            return posixpath.relpath(resolved, posixpath.dirname(source_relpath))

        return str(render_markdown(markdown_text, resolve)), pictures


def lom_title(parent, namespace: str, title: str) -> None:
    general = sub(sub(parent, f"{{{namespace}}}lom"), f"{{{namespace}}}general")
    sub(sub(general, f"{{{namespace}}}title"), f"{{{namespace}}}string", title, language="nl")


def _webcontent(resources, ident: str, href: str, extra: list[str]) -> None:
    resource = sub(resources, f"{{{CP_NS}}}resource", identifier=ident, type="webcontent", href=href)
    for path in [href, *sorted(set(extra))]:
        sub(resource, f"{{{CP_NS}}}file", href=path)


def _readme(skipped: list[tuple[str, int, str]]) -> str:
    lines = [COURSE_TITLE, "", "Dit pakket is een Common Cartridge 1.1 van het JIM-trainingsplatform: elke module met",
             "haar lessen als webpagina's en haar toets als QTI-toets (meerkeuze, meer goede antwoorden, waar of",
             "niet waar en open vragen).", ""]
    if skipped:
        lines += ["Deze vragen staan niet in het pakket, omdat Common Cartridge hun vraagsoort niet kent:", ""]
        lines += [f"- {module}, vraag {number}: {kind}" for module, number, kind in skipped]
    else:
        lines.append("Alle vragen staan in het pakket.")
    return "\n".join(lines) + "\n"


def build_cc(modules_dir: Path, modules: list[ModuleData] | None = None) -> Export:
    modules = curriculum() if modules is None else modules
    pages = _Pages(modules_dir, {module.folder for module in modules})
    root = etree.Element(f"{{{CP_NS}}}manifest", nsmap={None: CP_NS, "lomimscc": LOMM_NS, "lom": LOMR_NS, "xsi": XSI},
                         identifier="jim_training_cc")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATIONS)
    metadata = sub(root, f"{{{CP_NS}}}metadata")
    sub(metadata, f"{{{CP_NS}}}schema", "IMS Common Cartridge")
    sub(metadata, f"{{{CP_NS}}}schemaversion", "1.1.0")
    lom_title(metadata, LOMM_NS, COURSE_TITLE)
    organization = sub(sub(root, f"{{{CP_NS}}}organizations"), f"{{{CP_NS}}}organization",
                       identifier="organisatie", structure="rooted-hierarchy")
    top = sub(organization, f"{{{CP_NS}}}item", identifier="inhoud")
    resources = sub(root, f"{{{CP_NS}}}resources")
    export = Export(b"")
    for number, module in enumerate(modules, 1):
        export.modules += 1
        folder = sub(top, f"{{{CP_NS}}}item", identifier=f"m{number}")
        sub(folder, f"{{{CP_NS}}}title", module.title)
        intro_path = f"{module.folder}/introductie.html"
        html, pictures = pages.render(f"{module.folder}/module.md", module.body)
        summary = f"<p>{escape(module.summary)}</p>\n" if module.summary else ""
        pages.files[intro_path] = _page(module.title, summary + html)
        _webcontent(resources, f"m{number}_intro_r", intro_path, pictures)
        item = sub(folder, f"{{{CP_NS}}}item", identifier=f"m{number}_intro", identifierref=f"m{number}_intro_r")
        sub(item, f"{{{CP_NS}}}title", "Introductie")
        for lesson_number, lesson in enumerate(module.lessons, 1):
            source = f"{module.folder}/{lesson.filename}"
            path = source[:-3] + ".html" if split_slug(lesson.filename, LESSON_FILE_RE) else \
                f"{module.folder}/les-{lesson_number}.html"
            html, pictures = pages.render(source, lesson.body)
            pages.files[path] = _page(lesson.title, html)
            ident = f"m{number}_l{lesson_number}"
            _webcontent(resources, f"{ident}_r", path, pictures)
            item = sub(folder, f"{{{CP_NS}}}item", identifier=ident, identifierref=f"{ident}_r")
            sub(item, f"{{{CP_NS}}}title", lesson.title)
        if module.quiz is not None and module.quiz.questions:
            export.quizzes += 1
            ident = f"m{number}_toets"
            title = f"Toets: {module.title}"
            tree, skipped = qti.assessment(module.quiz, ident, title)
            quiz_path = f"{module.folder}/toets.xml"
            pages.files[quiz_path] = to_bytes(tree)
            resource = sub(resources, f"{{{CP_NS}}}resource", identifier=f"{ident}_r", type=QTI_TYPE)
            sub(resource, f"{{{CP_NS}}}file", href=quiz_path)
            item = sub(folder, f"{{{CP_NS}}}item", identifier=ident, identifierref=f"{ident}_r")
            sub(item, f"{{{CP_NS}}}title", title)
            export.skipped += [(module.title, module.quiz.questions.index(q) + 1, _type_name(q)) for q in skipped]
    pages.files[README] = _readme(export.skipped).encode()
    _webcontent(resources, "leesmij_r", README, [])
    export.data = zip_files({"imsmanifest.xml": to_bytes(root), **pages.files})
    return export


def _type_name(question: QuestionData) -> str:
    return TYPE_NAMES.get(question.type, "andere vraagsoort")


def zip_files(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["imsmanifest.xml", *sorted(n for n in files if n != "imsmanifest.xml")]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), files[name],
                             zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
