"""Open Badges 3.0: every certificate's credential (JSON, or baked into a badge image), the issuer, the
achievements and the revocation list. All public, like the verification page: the certificate's secret code is
the key to its credential, and the rest holds no personal data."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, jsonify, render_template
from flask_babel import gettext as _

from jimtraining.credentials import engine, services
from jimtraining.credentials.achievements import images
from jimtraining.credentials.issuer import did_document_endpoint

bp = Blueprint("credentials", __name__)

JSON = "application/json"


def _public(response: Response, private: bool = True) -> Response:
    """Any site's script may read these (a web wallet, 1EdTech's validator); no cookie is involved. A document
    about a person (a certificate's credential) is not indexed and not kept by caches."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    if private:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store"
    return response


def _json(document: dict | str, status: int = 200) -> Response:
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False, indent=2)
    return Response(text, status=status, mimetype=JSON)


def _credential_or_404(code: str) -> services.Stored:
    stored = services.stored_credential(code)
    if stored is None:
        abort(404)
    return stored


def _text_or_503(stored: services.Stored) -> str:
    text = services.credential_text(stored.certificate, stored.text)
    if text is None:  # the signing key cannot be used (logged): say so rather than fail
        abort(Response(render_template(
            "errors/error.html", code=503, title=_("Open Badge niet beschikbaar"),
            message=_("Het Open Badge-bestand van dit certificaat kan nu niet worden gemaakt. Het certificaat zelf "
                      "is in orde. Probeer het later opnieuw.")), status=503))
    return text


def _download(content: bytes | str, mimetype: str, stored: services.Stored, extension: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = (f'attachment; filename="open-badge-{stored.certificate.number}.'
                                               f'{extension}"')
    return _public(response)


@bp.route("/api/v1/certificates/<code>/credential")
def credential_json(code):
    """The certificate's OpenBadgeCredential, signed once and served as it was signed. A revoked certificate's
    too: wallets learn from the status list that it no longer holds."""
    stored = services.stored_credential(code)
    if stored is None:
        return _public(jsonify(status="unknown")), 404
    text = services.credential_text(stored.certificate, stored.text)
    if text is None:
        return _public(jsonify(status="unavailable")), 503
    return _public(_json(text))


@bp.route("/certificates/<code>/open-badge.json")
def download_json(code):
    stored = _credential_or_404(code)
    return _download(_text_or_503(stored), JSON, stored, "json")


@bp.route("/certificates/<code>/open-badge.svg")
def download_svg(code):
    """The badge image with the credential baked in (an <openbadges:credential> element)."""
    stored = _credential_or_404(code)
    text = _text_or_503(stored)
    return _download(engine.bake_svg(images(stored.certificate.track_title)[0], text), "image/svg+xml", stored,
                     "svg")


@bp.route("/certificates/<code>/open-badge.png")
def download_png(code):
    """The badge image with the credential baked in (an iTXt chunk "openbadgecredential")."""
    stored = _credential_or_404(code)
    text = _text_or_503(stored)
    return _download(engine.bake_png(images(stored.certificate.track_title)[1], text), "image/png", stored, "png")


@bp.route("/achievements/<track_slug>")
def achievement(track_slug):
    document = services.achievement_document(track_slug)
    if document is None:
        return _public(jsonify(status="unknown"), private=False), 404
    return _public(_json(document), private=False)


def _badge(track_slug: str, which: int, mimetype: str) -> Response:
    title = services.badge_title(track_slug)
    if title is None:
        abort(404)
    response = Response(images(title)[which], mimetype=mimetype)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return _public(response, private=False)


@bp.route("/achievements/<track_slug>.svg")
def achievement_svg(track_slug):
    return _badge(track_slug, 0, "image/svg+xml")


@bp.route("/achievements/<track_slug>.png")
def achievement_png(track_slug):
    return _badge(track_slug, 1, "image/png")


@bp.route("/issuer")
def issuer():
    """The issuer's OB 3.0 Profile with every key it ever signed with."""
    return _public(_json(services.issuer_profile()), private=False)


def _did_document(endpoint: str) -> Response:
    if did_document_endpoint() != endpoint:
        abort(404)
    return _public(_json(services.did_document()), private=False)


@bp.route("/.well-known/did.json")
def did_document():
    """did:web on a bare host (BASE_URL https://host)."""
    return _did_document("credentials.did_document")


@bp.route("/did.json")
def did_document_path():
    """did:web on a host with a path (BASE_URL https://host/path: did:web:host:path)."""
    return _did_document("credentials.did_document_path")


@bp.route("/credentials/status/1")
def status_list():
    """The revocation list: a signed BitstringStatusListCredential."""
    text = services.status_list()
    if text is None:
        abort(404)
    return _public(_json(text), private=False)
