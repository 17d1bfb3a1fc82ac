"""What a provider says about the person, read from the claims of a verified login.

Claim names (checked against SURF's documentation and the source of SURFconext's OpenID Connect gateway,
OpenConext-oidcng): ``sub``, ``email``, ``name``, ``given_name``, ``family_name``, ``schac_home_organization``
and ``eduperson_principal_name`` (the older gateway and SURF's claims table call it ``edu_person_principal_name``;
both are read). ``email_verified`` is the standard OpenID Connect claim; SURFconext does not release it (it is not
in its ``claims_supported``), so an institution's address never counts as verified: SURF's attribute documentation
warns that an identity provider may let people change their mail attribute themselves.
"""

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

#: The eduPersonPrincipalName, by the name SURFconext uses now and the one it used before.
PRINCIPAL_NAME_CLAIMS = ("eduperson_principal_name", "edu_person_principal_name")
NAME_LENGTH = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ClaimsError(ValueError):
    """The claims lack what a login needs (a subject)."""


@dataclass(frozen=True)
class Identity:
    provider: str
    issuer: str
    subject: str
    #: Valid and lower case, or None.
    email: str | None = None
    #: Only True when the provider said so with `"email_verified": true`.
    email_verified: bool = False
    #: Lower case, scoped ("s1234567@hogeschool.example"), or None.
    principal_name: str | None = None
    home_organization: str | None = None
    #: A display name, possibly empty.
    name: str = ""


def _text(value, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(_CONTROL.sub(" ", value).split())[:limit]


def _email(value) -> str | None:
    text = _text(value, 254)
    if not text:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _principal_name(claims: dict) -> str | None:
    for claim in PRINCIPAL_NAME_CLAIMS:
        value = _text(claims.get(claim), 254).lower()
        local, at, scope = value.partition("@")
        if local and at and scope and " " not in value:
            return value
    return None


def _name(claims: dict, email: str | None) -> str:
    name = _text(claims.get("name"), NAME_LENGTH)
    if not name:
        name = _text(" ".join(part for part in (claims.get("given_name"), claims.get("family_name"))
                              if isinstance(part, str)), NAME_LENGTH)
    if not name and email:
        name = email.partition("@")[0][:NAME_LENGTH]
    return name


def identity_from_claims(provider: str, issuer: str, claims: dict) -> Identity:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > 255:
        raise ClaimsError("the claims have no usable subject")
    email = _email(claims.get("email"))
    return Identity(
        provider=provider,
        issuer=issuer,
        subject=subject,
        email=email,
        email_verified=claims.get("email_verified") is True,
        principal_name=_principal_name(claims),
        home_organization=_text(claims.get("schac_home_organization"), 200).lower() or None,
        name=_name(claims, email),
    )
