"""Which account an institution login belongs to: find it, link it, or make it.

A first login with an institution account (no link for its provider, issuer and subject yet) links to an existing
account only on proof that it is the same person:

1. a link exists: that account;
2. another link from the same issuer has the same eduPersonPrincipalName (the person logged in before under
   another subject: eduID through SURFconext, a new client registration): that account, and the new identity is
   linked to it;
3. an account has the same e-mail address **and the provider says the address is verified** (``email_verified``):
   that account, and the identity is linked to it;
4. otherwise a new learner account, with the name and address from the claims, when nobody has that address yet.
   When somebody has, the login is refused (`Refused("email_taken")`): an address the provider did not verify
   never gives access to an existing account. The owner logs in with the password and links the institution
   account on the profile page (`link_account`).

Deactivated accounts are refused whichever way they were found. The accounts package is used through its service
functions only (`find_by_email`, `create_user`) and `log_in` below.
"""

import logging
import secrets
from dataclasses import dataclass

from flask import request
from flask_login import login_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from jimtraining.accounts.models import User
from jimtraining.accounts.services import create_user, find_by_email, start_session
from jimtraining.extensions import db
from jimtraining.roles import Role
from jimtraining.sso.claims import Identity
from jimtraining.sso.models import SsoLink
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignedIn:
    user: User
    #: "link", "principal_name", "verified_email" or "new".
    how: str


@dataclass(frozen=True)
class Refused:
    #: "disabled", "email_taken", "no_email" (sign_in); "other_account" (link_account).
    reason: str


def log_in(user: User, remember: bool = False) -> None:
    """Start a login session and put it in the cookies: the one place this package logs someone in. (When the
    accounts package offers ``log_in(user, remember)``, this becomes a call to it.)"""
    start_session(user, request.user_agent.string or "", remember=remember)
    login_user(user, remember=remember)


def find_link(identity: Identity) -> SsoLink | None:
    return db.session.scalar(select(SsoLink).options(joinedload(SsoLink.user))
                             .where(SsoLink.provider == identity.provider,
                                                   SsoLink.issuer == identity.issuer,
                                                   SsoLink.subject == identity.subject))


def _user_with_principal_name(identity: Identity) -> User | None:
    """The user of another link with the identity's eduPersonPrincipalName from the same issuer: an issuer only
    vouches for the names it released itself."""
    if not identity.principal_name:
        return None
    return db.session.scalar(select(User).join(SsoLink, SsoLink.user_id == User.id)
                             .where(SsoLink.issuer == identity.issuer,
                                    SsoLink.principal_name == identity.principal_name)
                             .order_by(SsoLink.id).limit(1))


def links_of(user: User) -> list[SsoLink]:
    return list(db.session.scalars(select(SsoLink).where(SsoLink.user_id == user.id).order_by(SsoLink.id)))


def principal_names(user_ids) -> dict[int, str]:
    """The eduPersonPrincipalName each of these users logged in with (SURFconext first, then eduID; of one
    provider the newest link), for those that have one. One query."""
    rows = db.session.execute(
        select(SsoLink.user_id, SsoLink.provider, SsoLink.principal_name)
        .where(SsoLink.user_id.in_(list(user_ids) or [-1]), SsoLink.principal_name.is_not(None))
        .order_by(SsoLink.id)).all()
    found: dict[int, tuple[int, str]] = {}
    for user_id, provider, principal_name in rows:
        rank = 0 if provider == "surfconext" else 1
        if user_id not in found or rank <= found[user_id][0]:
            found[user_id] = (rank, principal_name)
    return {user_id: name for user_id, (_rank, name) in found.items()}


def _add_link(user: User, identity: Identity, now) -> SsoLink:
    link = SsoLink(user_id=user.id, provider=identity.provider, issuer=identity.issuer, subject=identity.subject,
                   principal_name=identity.principal_name, home_organization=identity.home_organization,
                   created_at=now, last_login_at=now)
    db.session.add(link)
    return link


def _signed_in(user: User, how: str, now) -> SignedIn:
    user.last_login_at = now
    db.session.commit()
    log.info("sso login: user=%s via %s", user.id, how)
    return SignedIn(user, how)


def sign_in(identity: Identity) -> SignedIn | Refused:
    """The account this verified identity logs in as (linked or made here, and committed), or why not."""
    try:
        return _sign_in(identity)
    except IntegrityError:
        # The same identity (or address) was linked or made by a login at the same moment: decide again.
        db.session.rollback()
        return _sign_in(identity)


def _sign_in(identity: Identity) -> SignedIn | Refused:
    now = utcnow()
    link = find_link(identity)
    if link is not None:
        if not link.user.is_enabled:
            return Refused("disabled")
        link.last_login_at = now
        link.home_organization = identity.home_organization or link.home_organization
        if identity.principal_name and identity.principal_name != link.principal_name:
            owner = _user_with_principal_name(identity)
            if owner is None or owner.id == link.user_id:
                link.principal_name = identity.principal_name
        return _signed_in(link.user, "link", now)
    user = _user_with_principal_name(identity)
    how = "principal_name"
    if user is None and identity.email and identity.email_verified:
        user, how = find_by_email(identity.email), "verified_email"
    if user is not None:
        if not user.is_enabled:
            return Refused("disabled")
        _add_link(user, identity, now)
        return _signed_in(user, how, now)
    if not identity.email:
        return Refused("no_email")
    if find_by_email(identity.email) is not None:
        log.info("sso login refused: the address of an unverified claim has an account (provider %s)",
                 identity.provider)
        return Refused("email_taken")
    user = create_user(email=identity.email, name=identity.name or identity.email, role=Role.LEARNER,
                       # Nobody knows this password: the account logs in through the provider (or, after
                       # "Wachtwoord vergeten?", with a password its owner chose).
                       password=secrets.token_urlsafe(32), locale=_locale())
    _add_link(user, identity, now)
    return _signed_in(user, "new", now)


def _locale() -> str:
    from flask import current_app
    from flask_babel import get_locale

    locale = str(get_locale() or "")
    return locale if locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def link_account(user: User, identity: Identity) -> str | Refused:
    """Link an institution account to the logged-in user (who proved both): "linked" or "already", or
    Refused("other_account") when it belongs to someone else."""
    link = find_link(identity)
    if link is not None:
        return "already" if link.user_id == user.id else Refused("other_account")
    owner = _user_with_principal_name(identity)
    if owner is not None and owner.id != user.id:
        return Refused("other_account")
    _add_link(user, identity, utcnow())
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return Refused("other_account")
    log.info("sso link added: user=%s provider=%s", user.id, identity.provider)
    return "linked"
