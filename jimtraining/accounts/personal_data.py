"""The account's part of a person's data export and of erasing an account.

jimtraining/privacy/registry.py says which tables point at a person and what erasure does with each; this module
does the account's own part (docs/PRIVACY.md says why). Login sessions need no code: the registry exports their
moments and erasure deletes them.
"""

import secrets
from collections import Counter

from jimtraining.accounts.models import User
from jimtraining.exports.values import pick
from jimtraining.extensions import db

#: The name an erased account gets.
ERASED_NAME = "Verwijderde gebruiker"


def erased_email(user_id: int) -> str:
    """Unique (by id) and unroutable (.invalid is reserved, RFC 2606): no mail can ever reach anyone."""
    return f"erased-{user_id}@invalid"


def export_profile(user) -> dict:
    organisation = user.organisation
    return {
        "profile": pick(user, ("id", "name", "email", "role", "region", "work_context", "skj_number", "locale",
                               "is_enabled", "created_at", "last_login_at")),
        "organisation": pick(organisation, ("name", "kind")) if organisation else None,
    }


def anonymise_account(user_id: int) -> Counter:
    """The account row stays (so counts and kept rows still add up) but says nothing about the person. Runs last,
    after every other table was erased."""
    user = db.session.get(User, user_id)
    user.name = ERASED_NAME
    user.email = erased_email(user_id)
    # A hash of a random secret nobody knows: no password logs in, and the account is switched off as well.
    user.set_password(secrets.token_urlsafe(48))
    user.is_enabled = False
    user.skj_number = None
    # The certificates keep their own copy of region, work field and kind of organisation for the national
    # figures, so the account needs none of it.
    user.organisation_id = None
    user.region = None
    user.work_context = None
    user.locale = "nl"
    user.last_login_at = None
    user.rotate_session_token()  # password-reset links sent before stop working
    return Counter({"user_account.anonymise": 1})
