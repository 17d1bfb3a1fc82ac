"""The exported packages against the IMS Common Cartridge schemas vendored in tests/fixtures/ims-cc/ (its README
names where each file comes from). Every import a schema makes is served from that folder; one that is not there
fails the test instead of being fetched. The broken-document tests show the check can fail."""

import io
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from jimtraining.cartridge.package import CP_NS, build_cc
from jimtraining.cartridge.qti import QTI_NS
from jimtraining.cartridge.thin import BLTI_NS, build_thin
from jimtraining.cartridge.thin import CP_NS as THIN_NS
from tests.cartridge.test_cc_export import MODULES, real_curriculum  # noqa: F401 (fixture)

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "ims-cc"
CC_MANIFEST = "ccv1p1_imscp_v1p2_v1p0.xsd"
CC_QTI = "ccv1p1_qtiasiv1p2p1_v1p0.xsd"
THIN_MANIFEST = "ccv1p3_imscp_v1p2_v1p0.xsd"
THIN_LINK = "imslticc_v1p3.xsd"


class _LocalSchemas(etree.Resolver):
    """Every schema an XSD imports (by web address or file name) comes from tests/fixtures/ims-cc/, by file name;
    an import that is not vendored there is refused, so nothing is ever fetched from the network."""

    def resolve(self, url, pubid, context):
        local = SCHEMAS / posixpath.basename(url or "")
        if not local.is_file():
            raise LookupError(f"{url} is imported but not vendored in tests/fixtures/ims-cc/")
        return self.resolve_filename(str(local), context)


def _schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / name
    assert path.is_file(), f"{name} is not vendored in tests/fixtures/ims-cc/ (see its README)"
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(path), parser))


def _assert_valid(schema: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert schema.validate(document), str(schema.error_log)


def _cc_archive() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(build_cc(MODULES).data))


def _thin_archive() -> zipfile.ZipFile:
    data, _links = build_thin()
    return zipfile.ZipFile(io.BytesIO(data))


def test_every_vendored_schema_loads_with_all_its_imports_from_the_fixture_folder():
    for path in sorted(SCHEMAS.glob("*.xsd")):
        if path.name != "xml.xsd":
            assert isinstance(_schema(path.name), etree.XMLSchema), path.name


def test_the_cc_manifest_is_valid_against_the_cc_1_1_profile(app, real_curriculum):  # noqa: F811
    _assert_valid(_schema(CC_MANIFEST), _cc_archive().read("imsmanifest.xml"))


def test_every_quiz_is_valid_against_the_qti_cc_profile(app, real_curriculum):  # noqa: F811
    schema = _schema(CC_QTI)
    archive = _cc_archive()
    quizzes = [name for name in archive.namelist() if name.endswith("/toets.xml")]
    assert len(quizzes) == sum(1 for module in real_curriculum if module.quiz and module.quiz.questions) > 0
    for name in quizzes:
        _assert_valid(schema, archive.read(name))


def test_the_thin_manifest_and_its_links_are_valid_against_the_cc_1_3_schemas(app, real_curriculum):  # noqa: F811
    manifest_schema, link_schema = _schema(THIN_MANIFEST), _schema(THIN_LINK)
    archive = _thin_archive()
    _assert_valid(manifest_schema, archive.read("imsmanifest.xml"))
    links = [name for name in archive.namelist() if name != "imsmanifest.xml"]
    assert links
    for name in links:
        _assert_valid(link_schema, archive.read(name))


def _add_unknown_element(namespace: str, parent_xpath: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        parent = root if parent_xpath == "." else root.xpath(parent_xpath, namespaces={"x": namespace})[0]
        etree.SubElement(parent, f"{{{namespace}}}onbekend").text = "x"
    return mutate


def _set_attribute(xpath: str, namespace: str, name: str, value: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        root.xpath(xpath, namespaces={"x": namespace})[0].set(name, value)
    return mutate


def _remove(xpath: str, namespace: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        element = root.xpath(xpath, namespaces={"x": namespace})[0]
        element.getparent().remove(element)
    return mutate


BROKEN = {
    "cc manifest with an unknown element": (
        CC_MANIFEST, _cc_archive, "imsmanifest.xml", _add_unknown_element(CP_NS, "x:resources")),
    "cc manifest with a resource type cc does not know": (
        CC_MANIFEST, _cc_archive, "imsmanifest.xml",
        _set_attribute("x:resources/x:resource", CP_NS, "type", "jim-training/pagina")),
    "cc manifest whose organization is not a rooted hierarchy": (
        CC_MANIFEST, _cc_archive, "imsmanifest.xml",
        _set_attribute("x:organizations/x:organization", CP_NS, "structure", "hierarchical")),
    "quiz with an unknown element in an item": (
        CC_QTI, _cc_archive, "toets", _add_unknown_element(QTI_NS, "//x:item")),
    "thin manifest with an unknown element": (
        THIN_MANIFEST, _thin_archive, "imsmanifest.xml", _add_unknown_element(THIN_NS, "x:resources/x:resource")),
    "thin manifest with an item that has no title": (
        THIN_MANIFEST, _thin_archive, "imsmanifest.xml", _remove("//x:item[@identifierref]/x:title", THIN_NS)),
    "lti link with an unknown basic lti element": (
        THIN_LINK, _thin_archive, "link", _add_unknown_element(BLTI_NS, ".")),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_deliberately_broken_document_fails_validation(app, real_curriculum, case):  # noqa: F811
    schema_name, archive_of, member, mutate = BROKEN[case]
    schema = _schema(schema_name)
    archive = archive_of()
    if member == "toets":
        member = next(name for name in archive.namelist() if name.endswith("/toets.xml"))
    elif member == "link":
        member = next(name for name in archive.namelist() if name != "imsmanifest.xml")
    root = etree.fromstring(archive.read(member))
    assert schema.validate(root), "the unbroken document must be valid for this test to mean anything"
    mutate(root)
    assert not schema.validate(root), f"{case}: the schema accepted it"
