"""`flask content check`: the shipped curriculum is valid, and every kind of broken file is reported as
path:line: message."""

import re

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content


def problems_of(content_dir):
    return [str(p) for p in load_content(content_dir.root).problems]


def test_shipped_curriculum_passes_the_check_and_is_big_enough():
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    assert len(tree.modules) >= 6
    assert sum(len(m.lessons) for m in tree.modules) >= 24


def test_every_shipped_module_lists_its_sources_and_goals():
    tree = load_content(PROJECT_ROOT / "modules")
    for module in tree.modules:
        assert module.sources, module.slug
        assert all(source["title"] for source in module.sources)
        assert len(module.goals) >= 3, module.slug


def test_shipped_curriculum_contains_no_contact_details():
    phone = re.compile(r"\b0\d{1,3}[- ]?\d{6,8}\b|\+31")
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    for path in (PROJECT_ROOT / "modules").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert not phone.search(text), path
        assert not email.search(text), path


def test_cli_check_passes_on_shipped_modules(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output


def test_cli_check_exits_non_zero_and_lists_problems_as_path_line_message(runner, content_dir, app, monkeypatch):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", title=None)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(content_dir.root))
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "01-basis/01-les.md:1: titel ontbreekt ('title')" in result.output


def test_missing_lesson_title_is_reported_at_its_file(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", title=None)
    assert problems_of(content_dir) == ["01-basis/01-les.md:1: titel ontbreekt ('title')"]


def test_missing_module_title_is_reported(content_dir):
    content_dir.raw("01-basis/module.md", "---\nsummary: x\nminutes: 5\ngoals: [a]\nsources:\n  - title: b\n---\n")
    content_dir.lesson("01-basis", "01-les.md")
    assert "01-basis/module.md:1: titel ontbreekt ('title')" in problems_of(content_dir)


def test_unknown_prerequisite_is_reported_on_its_line(content_dir):
    content_dir.module("01-basis", prerequisites=["bestaat-niet"])
    content_dir.lesson("01-basis", "01-les.md")
    assert problems_of(content_dir) == ["01-basis/module.md:5: onbekende voorkennis-module 'bestaat-niet'"]


def test_circular_prerequisites_are_reported(content_dir):
    content_dir.module("01-een", prerequisites=["twee"])
    content_dir.lesson("01-een", "01-les.md")
    content_dir.module("02-twee", prerequisites=["drie"])
    content_dir.lesson("02-twee", "01-les.md")
    content_dir.module("03-drie", prerequisites=["een"])
    content_dir.lesson("03-drie", "01-les.md")
    problems = problems_of(content_dir)
    assert len(problems) == 1
    assert re.fullmatch(r"0\d-\w+/module\.md:5: circulaire voorkennis: \w+ -> \w+ -> \w+ -> \w+", problems[0])


def test_module_that_requires_itself_is_circular(content_dir):
    content_dir.module("01-een", prerequisites=["een"])
    content_dir.lesson("01-een", "01-les.md")
    assert problems_of(content_dir) == ["01-een/module.md:5: circulaire voorkennis: een -> een"]


def test_duplicate_module_slug_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.module("07-basis")
    content_dir.lesson("07-basis", "01-les.md")
    assert problems_of(content_dir) == ["07-basis/module.md:1: dubbele module-slug 'basis' (ook in 01-basis)"]


def test_duplicate_lesson_slug_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.lesson("01-basis", "03-les.md")
    assert problems_of(content_dir) == ["01-basis/03-les.md:1: dubbele les-slug 'les' (ook in 01-les.md)"]


def test_broken_link_to_another_lesson_is_reported_on_its_line(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="Eerste regel.\n\nLees [verder](02-bestaat-niet.md).\n")
    assert problems_of(content_dir) == ["01-basis/01-les.md:7: kapotte link naar een les: 02-bestaat-niet.md"]


def test_links_to_lessons_in_other_modules_are_accepted(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="Zie [daar](../02-verder/01-les.md#kop) en [hier](module.md).\n")
    content_dir.module("02-verder")
    content_dir.lesson("02-verder", "01-les.md")
    assert problems_of(content_dir) == []


def test_links_inside_code_are_not_checked(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="```\n[x](nergens.md)\n```\n\nen `[y](ook-niet.md)`\n")
    assert problems_of(content_dir) == []


def test_image_without_alt_text_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/images/schema.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    content_dir.lesson("01-basis", "01-les.md", body="![](images/schema.svg)\n")
    assert problems_of(content_dir) == ["01-basis/01-les.md:5: afbeelding zonder alt-tekst: images/schema.svg"]


@pytest.mark.parametrize("tag", ['<img src="images/schema.svg">', '<img src="https://tracker.example/x.png" alt="x">'])
def test_html_images_are_refused_in_favour_of_markdown(content_dir, tag):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/images/schema.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    content_dir.lesson("01-basis", "01-les.md", body=tag + "\n")
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:5: gebruik Markdown voor een afbeelding: ![beschrijving](images/bestand.png)"]


def test_reference_style_image_from_another_host_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="![Logo][logo]\n\n[logo]: https://tracker.example/x.png\n")
    problems = problems_of(content_dir)
    assert problems == ["01-basis/01-les.md:7: afbeelding 'https://tracker.example/x.png' staat niet in de "
                        "modulemap; de site laadt niets van andere websites"]


def test_reference_style_image_without_alt_text_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/images/a.png", "png")
    content_dir.lesson("01-basis", "01-les.md", body="![][a]\n\n[a]: images/a.png\n")
    assert problems_of(content_dir) == ["01-basis/01-les.md:7: afbeelding zonder alt-tekst: images/a.png"]


def test_link_to_a_file_the_site_does_not_serve_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/handout.pdf", "%PDF")
    content_dir.lesson("01-basis", "01-les.md", body="[Handout](handout.pdf)\n")
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:5: link naar 'handout.pdf': de site toont uit een modulemap alleen lessen en afbeeldingen"]


def test_duplicate_order_numbers_are_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-een.md")
    content_dir.lesson("01-basis", "01-twee.md")
    content_dir.module("01-ander")
    content_dir.lesson("01-ander", "01-les.md")
    problems = problems_of(content_dir)
    assert "01-basis/01-twee.md:1: volgnummer 01 komt al voor in deze module (01-een.md)" in problems
    assert "01-basis:1: volgnummer 01 komt al voor bij een andere module" in problems


def test_too_long_title_and_too_many_minutes_are_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", title="x" * 201, minutes=10**20)
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:2: 'title' is te lang (hoogstens 200 tekens)",
        "01-basis/01-les.md:3: 'minutes' moet een heel getal van 1 tot 10000 zijn (geschatte minuten)",
    ]


def test_files_that_cannot_be_read_are_reported_not_crashed_on(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="[x](" + "a" * 300 + ".md) ![y](" + "b" * 300 + ".png)\n")
    (content_dir.root / "01-basis" / "02-weg.md").symlink_to(content_dir.root / "bestaat-niet.md")
    content_dir.raw("01-basis/03-diep.md", "---\ntitle: " + "[" * 5000 + "\n---\n")
    content_dir.raw("01-basis/04-bom.md", "\ufeff---\ntitle: Met BOM\nminutes: 3\n---\nTekst\n")
    problems = problems_of(content_dir)
    assert any(p.startswith("01-basis/01-les.md:5: kapotte link naar een les") for p in problems)
    assert any(p.startswith("01-basis/01-les.md:5: afbeeldingsbestand ontbreekt") for p in problems)
    assert any(p.startswith("01-basis/02-weg.md:1: het bestand kan niet worden gelezen") for p in problems)
    assert any(p.startswith("01-basis/03-diep.md:") and "ongeldige YAML" in p for p in problems)
    assert not any(p.startswith("01-basis/04-bom.md") for p in problems)


def test_title_that_is_not_text_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/01-les.md", "---\ntitle: 42\nminutes: 3\n---\n")
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:2: 'title' moet tekst zijn (zet hem tussen aanhalingstekens)"]


def test_missing_image_file_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="Tekst.\n![Een schema](images/weg.png)\n")
    assert problems_of(content_dir) == ["01-basis/01-les.md:6: afbeeldingsbestand ontbreekt: images/weg.png"]


def test_image_from_another_host_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", body="![Logo](https://example.org/logo.png)\n")
    problems = problems_of(content_dir)
    assert problems == ["01-basis/01-les.md:5: afbeelding 'https://example.org/logo.png' staat niet in de "
                        "modulemap; de site laadt niets van andere websites"]


def test_image_with_alt_text_and_file_passes(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/images/schema.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    content_dir.lesson("01-basis", "01-les.md", body="![Schema van het netwerk](images/schema.svg)\n")
    assert problems_of(content_dir) == []


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ('title: "Open string\nminutes: 10\n', 3),
        ("title: [een, twee\nminutes: 10\n", 3),
        ("title: Les\n  minutes: 10\n", 3),
    ],
)
def test_invalid_yaml_is_reported_with_its_line(content_dir, front, line):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/01-les.md", f"---\n{front}---\nTekst\n")
    problems = problems_of(content_dir)
    assert len(problems) == 1
    assert problems[0].startswith(f"01-basis/01-les.md:{line}: ongeldige YAML")


def test_file_without_front_matter_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/01-les.md", "# Gewoon tekst\n")
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:1: het bestand begint niet met front matter (een regel '---')"]


def test_minutes_must_be_a_positive_whole_number(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md", minutes="tien")
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:3: 'minutes' moet een heel getal van 1 tot 10000 zijn (geschatte minuten)"]


def test_misspelled_field_is_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.raw("01-basis/01-les.md", "---\ntitle: Les\ntitel: Les\nminutes: 5\n---\nTekst\n")
    assert problems_of(content_dir) == [
        "01-basis/01-les.md:3: onbekend veld 'titel' (toegestaan: minutes, title)"]


def test_module_without_sources_is_reported(content_dir):
    content_dir.raw("01-basis/module.md", "---\ntitle: B\nsummary: x\nminutes: 5\ngoals: [a]\n---\n")
    content_dir.lesson("01-basis", "01-les.md")
    assert problems_of(content_dir) == [
        "01-basis/module.md:1: 'sources' ontbreekt: noem de bronnen van deze module"]


def test_badly_named_folders_and_files_are_reported(content_dir):
    content_dir.module("01-basis")
    content_dir.lesson("01-basis", "01-les.md")
    content_dir.raw("01-basis/Les Twee.md", "---\ntitle: x\nminutes: 1\n---\n")
    content_dir.raw("Extra Module/module.md", "---\n---\n")
    problems = problems_of(content_dir)
    assert any(p.startswith("Extra Module:1: mapnaam moet de vorm NN-slug hebben") for p in problems)
    assert any(p.startswith("01-basis/Les Twee.md:1: bestandsnaam van een les") for p in problems)


def test_missing_module_md_is_reported(content_dir):
    content_dir.lesson("01-basis", "01-les.md")
    assert problems_of(content_dir) == ["01-basis/module.md:1: module.md ontbreekt in deze modulemap"]
