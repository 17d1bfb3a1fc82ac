"""The Common Cartridge export read back: every module and quiz of the synced curriculum is in the package, each QTI
item's right answer is the bank's, and every file the manifest names is in the zip."""

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from jimtraining.cartridge import qti
from jimtraining.cartridge.package import CP_NS, README, build_cc
from jimtraining.cartridge.services import CC_PROFILES, curriculum
from jimtraining.cartridge.thin import CP_NS as THIN_NS
from jimtraining.cartridge.thin import LTICC_NS, build_thin
from jimtraining.content_tree import load_content, sync_content

MODULES = Path(__file__).resolve().parents[2] / "modules"
NS = {"cp": CP_NS, "qti": qti.QTI_NS}


@pytest.fixture
def real_curriculum(app, monkeypatch):
    tree = load_content(MODULES)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    monkeypatch.setitem(app.config, "MODULES_DIR", str(MODULES))
    return curriculum()


def _read(data: bytes) -> tuple[zipfile.ZipFile, etree._Element]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return archive, etree.fromstring(archive.read("imsmanifest.xml"))


def _bank(folder: str) -> dict:
    return {q["id"]: q for q in yaml.safe_load((MODULES / folder / "quiz.yml").read_text("utf-8"))["questions"]}


def test_the_package_holds_every_module_with_its_lessons_and_every_quiz(app, real_curriculum):
    export = build_cc(MODULES)
    archive, manifest = _read(export.data)
    top = manifest.find("cp:organizations/cp:organization/cp:item", NS)
    module_items = top.findall("cp:item", NS)
    assert [item.findtext("cp:title", namespaces=NS) for item in module_items] == [m.title for m in real_curriculum]
    for item, module in zip(module_items, real_curriculum, strict=True):
        titles = [child.findtext("cp:title", namespaces=NS) for child in item.findall("cp:item", NS)]
        assert titles[1:1 + len(module.lessons)] == [lesson.title for lesson in module.lessons]
        assert titles[-1] == f"Toets: {module.title}"
    with_quiz = [m for m in real_curriculum if m.quiz and m.quiz.questions]
    assert export.quizzes == len(with_quiz) > 0
    quiz_type = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
    assert len(manifest.findall(f"cp:resources/cp:resource[@type='{quiz_type}']", NS)) == len(with_quiz)


def test_every_file_the_manifest_names_is_in_the_zip(app, real_curriculum):
    archive, manifest = _read(build_cc(MODULES).data)
    names = set(archive.namelist())
    resources = manifest.findall("cp:resources/cp:resource", NS)
    ids = {resource.get("identifier") for resource in resources}
    for resource in resources:
        for file in resource.findall("cp:file", NS):
            assert file.get("href") in names
        if resource.get("href"):
            assert resource.get("href") in names
    for item in manifest.iter(f"{{{CP_NS}}}item"):
        assert item.get("identifierref") in ids | {None}


def test_each_qti_item_has_the_right_answer_of_the_bank(app, real_curriculum):
    archive, _manifest = _read(build_cc(MODULES).data)
    checked = 0
    for module in real_curriculum:
        bank = _bank(module.folder)
        test = etree.fromstring(archive.read(f"{module.folder}/toets.xml"))
        items = test.findall(".//qti:item", NS)
        exported = [q for q in module.quiz.questions if q.type in CC_PROFILES]
        assert len(items) == len(exported)
        for item, question in zip(items, exported, strict=True):
            source = bank[question.key]
            right = {v.text for v in item.findall("qti:resprocessing/qti:respcondition/qti:conditionvar/qti:varequal",
                                                  NS)}
            right |= {v.text for v in item.findall(
                "qti:resprocessing/qti:respcondition/qti:conditionvar/qti:and/qti:varequal", NS)}
            if source["type"] == "true_false":
                assert right == {"true" if source["answer"] else "false"}
            elif source["type"] in ("single_choice", "multiple_response"):
                expected = {f"o_{o['id']}" for o in source["options"]
                            if o.get("correct") or o.get("weight") == 100
                            or (source["type"] == "multiple_response" and (o.get("weight") or 0) > 0)}
                assert right == expected
            else:
                assert right == set()
            checked += 1
    assert checked > 50


def test_question_types_cc_lacks_are_named_in_the_readme_and_the_command_output(app, real_curriculum, runner,
                                                                                 tmp_path):
    export = build_cc(MODULES)
    readme = zipfile.ZipFile(io.BytesIO(export.data)).read(README).decode()
    assert export.skipped and "combineren" in readme
    result = runner.invoke(args=["export", "cc", "--output", str(tmp_path / "jim.imscc")])
    assert result.exit_code == 0, result.output
    assert "Common Cartridge 1.1 with 8 module(s)" in result.output
    assert "not exported" in result.output


def test_module_titles_in_the_package_are_dutch_and_show_no_internal_ids(app, real_curriculum):
    _archive, manifest = _read(build_cc(MODULES).data)
    titles = [t.text for t in manifest.iter(f"{{{CP_NS}}}title")]
    for module in real_curriculum:
        assert not any(module.slug in title for title in titles)
    assert "Introductie" in titles


def test_the_thin_package_links_every_module_and_quiz_to_the_lti_launch(app, real_curriculum):
    data, links = build_thin()
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    resources = manifest.findall(f"{{{THIN_NS}}}resources/{{{THIN_NS}}}resource")
    assert len(resources) == links == len(real_curriculum) + sum(1 for m in real_curriculum if m.quiz)
    targets = set()
    for resource in resources:
        link = etree.fromstring(archive.read(resource.find(f"{{{THIN_NS}}}file").get("href")))
        assert link.tag == f"{{{LTICC_NS}}}cartridge_basiclti_link"
        url = link.findtext("{http://www.imsglobal.org/xsd/imsbasiclti_v1p0}launch_url")
        assert "/lti/launch?target=" in url
        targets.add(link.findtext("{*}custom/{*}property[@name='jim_target']"))
    assert targets == ({f"module:{m.slug}" for m in real_curriculum}
                       | {f"quiz:{m.slug}" for m in real_curriculum if m.quiz and m.quiz.questions})


def test_lecturers_download_both_packages_and_learners_may_not(app, real_curriculum, make_user, client_for):
    lecturer = client_for(make_user(role="trainer"))
    for url in ("/export/common-cartridge", "/export/common-cartridge-lti"):
        response = lecturer.get(url)
        assert response.status_code == 200
        assert zipfile.ZipFile(io.BytesIO(response.data)).read("imsmanifest.xml")
        assert client_for(make_user()).get(url).status_code == 403
    assert "Common Cartridge" in lecturer.get("/modules/").get_data(as_text=True)


def test_a_lesson_with_script_in_its_text_is_exported_sanitised(app, content_dir, monkeypatch):
    content_dir.module("01-basis", title="Basis")
    content_dir.lesson("01-basis", "01-eerste.md", title="Eerste <les>",
                       body="Hallo <script>alert(1)</script> [x](javascript:alert(1))\n")
    tree = load_content(content_dir.root)
    sync_content(tree)
    archive, _manifest = _read(build_cc(content_dir.root).data)
    page = archive.read("01-basis/01-eerste.html").decode()
    assert "<script>" not in page and "javascript:" not in page
    assert "Eerste &lt;les&gt;" in page


def test_a_picture_in_a_lesson_travels_with_its_page(app, content_dir):
    content_dir.module("01-basis", title="Basis")
    (content_dir.root / "01-basis" / "plaatje.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    content_dir.lesson("01-basis", "01-eerste.md", title="Eerste les",
                       body="![Een netwerk van mensen](plaatje.png)\n\nZie [de volgende les](02-tweede.md).\n")
    content_dir.lesson("01-basis", "02-tweede.md", title="Tweede les")
    tree = load_content(content_dir.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    archive, manifest = _read(build_cc(content_dir.root).data)
    page = archive.read("01-basis/01-eerste.html").decode()
    assert 'src="plaatje.png"' in page and 'href="02-tweede.html"' in page
    assert archive.read("01-basis/plaatje.png").startswith(b"\x89PNG")
    lesson = manifest.find("cp:resources/cp:resource[@href='01-basis/01-eerste.html']", NS)
    assert {f.get("href") for f in lesson.findall("cp:file", NS)} == {"01-basis/01-eerste.html", "01-basis/plaatje.png"}


def test_moodle_finds_the_right_answers_of_a_multiple_response_item_as_its_importer_does(app, real_curriculum):
    """Moodle's backup/cc/entity11.quiz.class.php: the varequal case="Yes" outside a <not> under SCORE=100."""
    archive, _manifest = _read(build_cc(MODULES).data)
    module = next(m for m in real_curriculum if any(q.type == "multiple_response" for q in m.quiz.questions))
    test = etree.fromstring(archive.read(f"{module.folder}/toets.xml"))
    exported = [q for q in module.quiz.questions if q.type in CC_PROFILES]
    items = test.findall(".//qti:item", NS)
    number = next(i for i, q in enumerate(exported) if q.type == "multiple_response")
    found = items[number].xpath(".//qti:setvar[@varname='SCORE'][.=100]/../qti:conditionvar//qti:varequal"
                                "[@case='Yes'][not(parent::qti:not)]/text()", namespaces=NS)
    assert set(found) == {f"o_{o['id']}" for o in exported[number].data["options"] if o["correct"]}
