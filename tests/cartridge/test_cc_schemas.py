"""The exported packages against the IMS schemas in tests/fixtures/ims-cc/ (see its README). Skipped, naming the
missing file, while a schema is not vendored there."""

import io
import posixpath
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from jimtraining.cartridge.package import build_cc
from jimtraining.cartridge.thin import build_thin
from tests.cartridge.test_cc_export import MODULES, real_curriculum  # noqa: F401 (fixture)

SCHEMAS = Path(__file__).resolve().parents[1] / "fixtures" / "ims-cc"


class _LocalSchemas(etree.Resolver):
    """Every schema an XSD imports by web address comes from tests/fixtures/ims-cc/ (never the network)."""

    def resolve(self, url, pubid, context):
        local = SCHEMAS / posixpath.basename(url or "")
        return self.resolve_filename(str(local), context) if local.is_file() else None


def _schema(name: str) -> etree.XMLSchema:
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"{name} is not vendored in tests/fixtures/ims-cc/ (see its README)")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(path), parser))


def _assert_valid(schema: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert schema.validate(document), str(schema.error_log)


def test_the_cc_manifest_is_valid_against_the_cc_1_1_profile(app, real_curriculum):  # noqa: F811
    schema = _schema("ccv1p1_imscp_v1p2_v1p0.xsd")
    archive = zipfile.ZipFile(io.BytesIO(build_cc(MODULES).data))
    _assert_valid(schema, archive.read("imsmanifest.xml"))


def test_every_quiz_is_valid_against_the_qti_cc_profile(app, real_curriculum):  # noqa: F811
    schema = _schema("ccv1p1_qtiasiv1p2p1_v1p0.xsd")
    archive = zipfile.ZipFile(io.BytesIO(build_cc(MODULES).data))
    for name in archive.namelist():
        if name.endswith("/toets.xml"):
            _assert_valid(schema, archive.read(name))


def test_the_thin_manifest_and_its_links_are_valid_against_the_cc_1_3_schemas(app, real_curriculum):  # noqa: F811
    manifest_schema = _schema("ccv1p3_imscp_v1p2_v1p0.xsd")
    link_schema = _schema("ccv1p3_imslticc_v1p3.xsd")
    data, _links = build_thin()
    archive = zipfile.ZipFile(io.BytesIO(data))
    _assert_valid(manifest_schema, archive.read("imsmanifest.xml"))
    for name in archive.namelist():
        if name != "imsmanifest.xml":
            _assert_valid(link_schema, archive.read(name))
