"""Linked institution accounts in the person's export, and gone when the account is erased."""

from sqlalchemy import func, select

from jimtraining.extensions import db
from jimtraining.privacy.services import erase_user, export_user_data
from jimtraining.sso.claims import Identity
from jimtraining.sso.models import SsoLink
from jimtraining.sso.services import link_account, sign_in

IDENTITY = Identity(provider="surfconext", issuer="https://connect.surfconext.example", subject="abc123",
                    email="sanne@hogeschool.example", principal_name="s1234567@hogeschool.example",
                    home_organization="hogeschool.example", name="Sanne de Student")


def test_the_export_lists_the_linked_institution_accounts(make_user):
    user = make_user()
    assert link_account(user, IDENTITY) == "linked"

    [row] = export_user_data(user)["institution_accounts"]

    assert {key: row[key] for key in ("provider", "issuer", "subject", "principal_name", "home_organization")} == {
        "provider": "surfconext", "issuer": "https://connect.surfconext.example", "subject": "abc123",
        "principal_name": "s1234567@hogeschool.example", "home_organization": "hogeschool.example"}
    assert row["created_at"] and row["last_login_at"]


def test_erasing_an_account_deletes_its_links_so_the_institution_account_can_start_afresh(make_user):
    admin = make_user(role="admin")
    user = make_user()
    link_account(user, IDENTITY)

    erase_user(user, admin, "request")

    assert db.session.scalar(select(func.count()).select_from(SsoLink)) == 0
    outcome = sign_in(IDENTITY)  # the same institution login later makes a new account
    assert outcome.how == "new" and outcome.user.id != user.id
