"""The cohort's CSV export and calendar files: safe cells, an Excel variant, one charset."""

import pytest

from tests.exports import both_variants, offers_both_variants
from tests.support.factories import PASSWORD

#: The reviewer's `=cmd|'/C calc'!A0@example.org` without the space, which no e-mail address may hold unquoted.
ATTACK = "=cmd|'/Ccalc'!A0@example.org"


def test_a_formula_in_an_email_address_is_defused_in_the_cohort_export(app, client, login, two_cohorts):
    """Issue 14 item 11: the profile form accepts `=cmd|'/Ccalc'!A0@example.org`; in the trainer's export it is
    text, in both variants, and so is every other cell (the name too, which the old guard only checked)."""
    learner = two_cohorts.learner_a
    login(client, learner)
    response = client.submit("/profile", {"name": " -Leerling A", "email": ATTACK, "organisation_id": "0",
                                          "locale": "nl", "current_password": PASSWORD}, page="/profile")
    assert response.status_code == 302  # accepted: it is a valid address
    trainer = app.test_client()
    login(trainer, two_cohorts.trainer_a)
    for rows in both_variants(trainer, f"/cohorts/{two_cohorts.a.id}/export.csv"):  # checks every cell
        assert rows[0][:2] == ["name", "email"]
        assert rows[1][:2] == ["'-Leerling A", "'" + ATTACK.lower()]  # addresses are kept in lower case


def test_cohort_export_comes_for_excel_and_as_standard_csv_and_the_dashboard_offers_both(client, login,
                                                                                         two_cohorts):
    """Issue 14 item 12: the same rows in both variants (Excel: BOM, semicolons); the dashboard links to both and
    says which is which."""
    cohort = two_cohorts.a
    login(client, two_cohorts.trainer_a)
    standard, excel = both_variants(client, f"/cohorts/{cohort.id}/export.csv")
    assert standard == excel and standard[1][0] == "Leerling A"
    assert offers_both_variants(client.get(f"/cohorts/{cohort.id}").get_data(as_text=True),
                                f"/cohorts/{cohort.id}/export.csv")


@pytest.mark.parametrize(("path", "content_type"), [
    ("/cohorts/{a}/export.csv", "text/csv; charset=utf-8"),
    ("/cohorts/{a}/export.csv?variant=excel", "text/csv; charset=utf-8"),
    ("/cohorts/{a}/calendar.ics", "text/calendar; charset=utf-8"),
    ("/cohorts/{a}/sessions/{s}.ics", "text/calendar; charset=utf-8"),
])
def test_csv_and_calendar_files_name_their_charset_once(client, login, two_cohorts, path, content_type):
    """Issue 14 item 14: `Content-Type` said `charset=utf-8` twice."""
    login(client, two_cohorts.trainer_a)
    response = client.get(path.format(a=two_cohorts.a.id, s=two_cohorts.session_a.id))
    assert response.status_code == 200
    assert response.headers.getlist("Content-Type") == [content_type]
