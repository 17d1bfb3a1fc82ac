"""Issue 19, item 1: the credential downloads as JSON and baked into the badge image (OB 3.0 baking: an
<openbadges:credential> element in SVG, an iTXt chunk "openbadgecredential" in PNG); every track's Achievement is
served at its id, with an image of our own design."""

import io
import json
import xml.dom.minidom

import pytest
from PIL import Image

from jimtraining.credentials import engine
from jimtraining.credentials.services import verify
from tests.credentials.badges import get_credential


@pytest.mark.parametrize("extension, mimetype, unbake", [
    ("svg", "image/svg+xml", engine.unbake_svg),
    ("png", "image/png", engine.unbake_png),
    ("json", "application/json", lambda body: body.decode()),
])
def test_the_download_carries_the_same_signed_credential(client, issued, extension, mimetype, unbake):
    certificate = issued.valid
    served = client.get(f"/api/v1/certificates/{certificate.code}/credential").get_data(as_text=True)
    response = client.get(f"/certificates/{certificate.code}/open-badge.{extension}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == (f'attachment; filename="open-badge-{certificate.number}.'
                                                       f'{extension}"')
    assert response.headers["Cache-Control"] == "no-store" and "noindex" in response.headers["X-Robots-Tag"]
    baked = unbake(response.get_data())
    assert baked == served
    assert verify(baked).valid


def test_the_baked_svg_follows_the_ob3_baking_spec(client, issued):
    body = client.get(f"/certificates/{issued.valid.code}/open-badge.svg").get_data()
    document = xml.dom.minidom.parseString(body)
    [element] = document.getElementsByTagName("openbadges:credential")
    assert element.getAttribute("xmlns:openbadges") == "https://purl.imsglobal.org/ob/v3p0"
    assert document.documentElement.tagName == "svg"
    assert not document.getElementsByTagName("script")


def test_a_name_with_markup_stays_text_in_the_baked_svg(client, track, people, make_user):
    from jimtraining.certification.services import create_certificate
    from jimtraining.extensions import db
    from jimtraining.timeutil import utcnow

    learner = make_user(name='Eva <script>alert("x")</script> & Co')
    certificate = create_certificate(learner, people.trainer, track, None, utcnow())
    db.session.commit()
    body = client.get(f"/certificates/{certificate.code}/open-badge.svg").get_data()
    assert b"<script>" not in body
    baked = json.loads(engine.unbake_svg(body))
    assert baked["credentialSubject"]["identifier"][0]["identityHash"] == 'Eva <script>alert("x")</script> & Co'
    assert verify(baked).valid


def test_every_track_has_its_achievement_at_its_id(client, issued):
    document = get_credential(client, issued.valid)["credentialSubject"]["achievement"]
    served = client.get("/achievements/jimwerker")
    assert served.status_code == 200 and served.headers["Access-Control-Allow-Origin"] == "*"
    body = served.get_json()
    assert body["id"] == document["id"] and body["type"] == ["Achievement"]
    assert body["criteria"] == document["criteria"] and body["name"] == "JIMwerker"
    assert body["creator"] == {"id": "http://127.0.0.1:5000/issuer", "type": ["Profile"]}
    # A refresher renews JIMwerker: its certificates are JIMwerker certificates; it is no achievement of its own.
    assert client.get("/achievements/jimwerker-opfrissen").status_code == 404
    assert client.get("/achievements/bestaat-niet").status_code == 404


def test_the_badge_image_is_our_own_svg_and_png(client, issued):
    svg = client.get("/achievements/jimwerker.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    text = svg.get_data(as_text=True)
    assert "JIMwerker" in text and "JIM-training" in text and "href" not in text  # nothing from another host
    png = client.get("/achievements/jimwerker.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = Image.open(io.BytesIO(png.get_data()))
    assert image.size == (400, 400) and image.format == "PNG"
    assert client.get("/achievements/bestaat-niet.svg").status_code == 404
