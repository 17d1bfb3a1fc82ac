"""Course content written by a test: a modules/ folder (`content_dir`), a small synced curriculum
(`synced_content`), and `sync` to load a folder into the database."""

from pathlib import Path

import pytest

from jimtraining.content_tree import load_content, sync_content


class ContentWriter:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def module(self, folder: str, title="Een module", prerequisites=(), extra="", body="Introductie.\n"):
        path = self.root / folder
        path.mkdir(parents=True, exist_ok=True)
        prereq = "[" + ", ".join(prerequisites) + "]"
        front = (f"---\ntitle: \"{title}\"\nsummary: \"Korte samenvatting.\"\nminutes: 30\n"
                 f"prerequisites: {prereq}\ngoals:\n  - \"Je kunt iets uitleggen.\"\n"
                 f"sources:\n  - title: \"Een bron\"\n{extra}---\n")
        (path / "module.md").write_text(front + body, encoding="utf-8")
        return path

    def lesson(self, folder: str, filename: str, title="Een les", body="Tekst van de les.\n", minutes=10):
        path = self.root / folder / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        title_line = f'title: "{title}"\n' if title is not None else ""
        path.write_text(f"---\n{title_line}minutes: {minutes}\n---\n{body}", encoding="utf-8")
        return path

    def raw(self, relpath: str, text: str):
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def competences(self, text: str, goal_competence: str):
        """Write competences.yml; with a competence list every module goal names one, so the goals of the modules
        written so far get `goal_competence`."""
        for module_md in self.root.glob("*/module.md"):
            module_md.write_text(module_md.read_text(encoding="utf-8").replace(
                '  - "Je kunt iets uitleggen."',
                f'  - text: "Je kunt iets uitleggen."\n    competence: {goal_competence}'), encoding="utf-8")
        return self.raw("competences.yml", text)


def sync(content_dir: ContentWriter):
    """Load the folder's content (it must have no problems) into the database."""
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems]
    return sync_content(tree)


@pytest.fixture
def content_dir(tmp_path) -> ContentWriter:
    """A modules/ folder to write test content into; returns a ContentWriter."""
    return ContentWriter(tmp_path / "modules")


@pytest.fixture
def synced_content(app, content_dir, monkeypatch) -> ContentWriter:
    """A small curriculum (two modules, the second needs the first) loaded into the database."""
    content_dir.module("01-basis", title="Basis")
    content_dir.lesson("01-basis", "01-eerste.md", title="Eerste les",
                       body="## Kop\n\nZie [de tweede](02-tweede.md).\n")
    content_dir.lesson("01-basis", "02-tweede.md", title="Tweede les")
    content_dir.module("02-verder", title="Verder", prerequisites=["basis"])
    content_dir.lesson("02-verder", "01-derde.md", title="Derde les")
    content_dir.lesson("02-verder", "02-vierde.md", title="Vierde les")
    sync(content_dir)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    return content_dir
