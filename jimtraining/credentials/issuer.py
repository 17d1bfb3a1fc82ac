"""Who issues the credentials, and the public addresses in them.

The issuer is `did:web` on BASE_URL when BASE_URL is an https:// address (production): did:web:jim.example.nl,
whose DID document is served at /.well-known/did.json; for an address with a path, did:web:host:path with its
document at /path/did.json (the did:web method spec). Otherwise (development, tests) the issuer is the address of
its profile, /issuer. Either way every key ever used is published as a verification method
("<issuer>#key-<number>"), so old credentials keep verifying after a key rotation.

Addresses in credentials are built on BASE_URL, or on the local address of `make run` without it, never on the
Host header of a request: a credential is stored once and served for years.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from jimtraining.credentials.engine import did_web
from jimtraining.credentials.keys import PublishedKey
from jimtraining.web import LOCAL_ADDRESS

#: The issuer's name in every credential (CREDENTIAL_ISSUER_NAME overrides it).
ISSUER_NAME = "JIM-training"
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def base_url() -> str:
    return (current_app.config.get("BASE_URL") or LOCAL_ADDRESS).rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """An absolute address on BASE_URL (or the local address), whatever the request's Host header says."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def did() -> str | None:
    """The issuer's did:web, when BASE_URL is an https:// address."""
    base = base_url()
    return did_web(base) if base.startswith("https://") else None


def did_document_endpoint() -> str | None:
    """The route that serves the DID document: /.well-known/did.json for a bare host, /did.json under a path."""
    if did() is None:
        return None
    return "credentials.did_document_path" if urlsplit(base_url()).path.strip("/") else "credentials.did_document"


def issuer_id() -> str:
    return did() or public_url("credentials.issuer")


def issuer_name() -> str:
    return current_app.config.get("CREDENTIAL_ISSUER_NAME") or ISSUER_NAME


def home_page() -> str:
    return public_url("main.index")


def verification_method(number: int) -> str:
    return f"{issuer_id()}#key-{number}"


def _methods(controller: str, keys: list[PublishedKey]) -> tuple[list[dict], list[str]]:
    methods = [{"id": f"{controller}#{key.fragment}", "type": "Multikey", "controller": controller,
                "publicKeyMultibase": key.public_key} for key in keys]
    return methods, [method["id"] for method in methods]


def profile(keys: list[PublishedKey]) -> dict:
    """The issuer's OB 3.0 Profile, with every key that may have signed a credential."""
    controller = issuer_id()
    methods, ids = _methods(controller, keys)
    return {"@context": [VC_CONTEXT, OB_CONTEXT, "https://www.w3.org/ns/cid/v1"], "id": controller,
            "type": ["Profile"], "name": issuer_name(), "url": home_page(), "verificationMethod": methods,
            "assertionMethod": ids}


def did_document(keys: list[PublishedKey]) -> dict | None:
    """The did:web DID document, or None when the issuer is not a did:web."""
    identifier = did()
    if identifier is None:
        return None
    methods, ids = _methods(identifier, keys)
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": identifier, "verificationMethod": methods, "assertionMethod": ids}
