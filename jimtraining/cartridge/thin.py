"""A Thin Common Cartridge 1.3: the curriculum's structure with, for each module and quiz, an LTI link that opens
it in the platform (the LTI 1.3 tool in jimtraining/lti/). Brightspace and Canvas turn each link into a course item
that launches the registered tool; `jim_target` tells the tool what to open."""

from __future__ import annotations

from urllib.parse import urlencode

from lxml import etree

from jimtraining.cartridge.package import COURSE_TITLE, lom_title, zip_files
from jimtraining.cartridge.services import ModuleData, curriculum
from jimtraining.cartridge.xml import XSI, sub, to_bytes
from jimtraining.web import absolute_url

CP_NS = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
LOMM_NS = "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"
LTICC_NS = "http://www.imsglobal.org/xsd/imslticc_v1p3"
BLTI_NS = "http://www.imsglobal.org/xsd/imsbasiclti_v1p0"
LTICM_NS = "http://www.imsglobal.org/xsd/imslticm_v1p0"
LTICP_NS = "http://www.imsglobal.org/xsd/imslticp_v1p0"
SCHEMA_LOCATIONS = (f"{CP_NS} http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_imscp_v1p2_v1p0.xsd "
                    f"{LOMM_NS} http://www.imsglobal.org/profile/cc/ccv1p3/LOM/ccv1p3_lommanifest_v1p0.xsd")
LTI_SCHEMA_LOCATIONS = (
    f"{LTICC_NS} http://www.imsglobal.org/xsd/lti/ltiv1p3/imslticc_v1p3.xsd "
    f"{BLTI_NS} http://www.imsglobal.org/xsd/lti/ltiv1p0/imsbasiclti_v1p0p1.xsd "
    f"{LTICM_NS} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticm_v1p0.xsd "
    f"{LTICP_NS} http://www.imsglobal.org/xsd/lti/ltiv1p0/imslticp_v1p0.xsd")
LTI_TYPE = "imsbasiclti_xmlv1p3"
TARGET_PARAMETER = "jim_target"  # the custom parameter jimtraining/lti/targets.py reads


def lti_link(title: str, description: str, target: str, launch_base: str) -> bytes:
    root = etree.Element(f"{{{LTICC_NS}}}cartridge_basiclti_link",
                         nsmap={None: LTICC_NS, "blti": BLTI_NS, "lticm": LTICM_NS, "lticp": LTICP_NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", LTI_SCHEMA_LOCATIONS)
    sub(root, f"{{{BLTI_NS}}}title", title)
    if description:
        sub(root, f"{{{BLTI_NS}}}description", description)
    custom = sub(root, f"{{{BLTI_NS}}}custom")
    sub(custom, f"{{{LTICM_NS}}}property", target, name=TARGET_PARAMETER)
    url = f"{launch_base}?{urlencode({'target': target})}"
    sub(root, f"{{{BLTI_NS}}}launch_url", url)
    if url.startswith("https://"):
        sub(root, f"{{{BLTI_NS}}}secure_launch_url", url)
    vendor = sub(root, f"{{{BLTI_NS}}}vendor")
    sub(vendor, f"{{{LTICP_NS}}}code", "jim-training")
    sub(vendor, f"{{{LTICP_NS}}}name", "JIM-training")
    return to_bytes(root)


def build_thin(modules: list[ModuleData] | None = None) -> tuple[bytes, int]:
    """The Thin CC 1.3 zip and the number of LTI links in it."""
    modules = curriculum() if modules is None else modules
    launch_base = absolute_url("lti.launch")
    root = etree.Element(f"{{{CP_NS}}}manifest", nsmap={None: CP_NS, "lomimscc": LOMM_NS, "xsi": XSI},
                         identifier="jim_training_thin_cc")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATIONS)
    metadata = sub(root, f"{{{CP_NS}}}metadata")
    sub(metadata, f"{{{CP_NS}}}schema", "IMS Thin Common Cartridge")
    sub(metadata, f"{{{CP_NS}}}schemaversion", "1.3.0")
    lom_title(metadata, LOMM_NS, COURSE_TITLE)
    organization = sub(sub(root, f"{{{CP_NS}}}organizations"), f"{{{CP_NS}}}organization",
                       identifier="organisatie", structure="rooted-hierarchy")
    top = sub(organization, f"{{{CP_NS}}}item", identifier="inhoud")
    resources = sub(root, f"{{{CP_NS}}}resources")
    files: dict[str, bytes] = {}
    links = []
    for n, module in enumerate(modules, 1):
        links.append((f"m{n}", module.title, module.summary, f"module:{module.slug}", module.folder))
        if module.quiz is not None and module.quiz.questions:
            links.append((f"m{n}_toets", f"Toets: {module.title}", "", f"quiz:{module.slug}", module.folder))
    for ident, title, description, target, folder in links:
        path = f"{folder}/{'toets' if target.startswith('quiz:') else 'module'}.xml"
        files[path] = lti_link(title, description, target, launch_base)
        resource = sub(resources, f"{{{CP_NS}}}resource", identifier=f"{ident}_r", type=LTI_TYPE)
        sub(resource, f"{{{CP_NS}}}file", href=path)
        item = sub(top, f"{{{CP_NS}}}item", identifier=ident, identifierref=f"{ident}_r")
        sub(item, f"{{{CP_NS}}}title", title)
    return zip_files({"imsmanifest.xml": to_bytes(root), **files}), len(links)
