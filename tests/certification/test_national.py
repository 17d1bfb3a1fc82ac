"""The national dashboard: figures checked against a known data set; a fixed number of queries at any size."""

import csv
import io
import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from jimtraining.certification.models import Certificate
from jimtraining.certification.services import create_certificate
from jimtraining.certification.stats import forget_national_figures, national_figures
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.exports import both_variants, offers_both_variants
from tests.support.certification import give_licence
from tests.support.database import count_queries

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def add(user, issued, region="Twente", kind="jeugdzorg", context="jeugdhulp", months=36, revoked=False,
        audience="learner"):
    row = Certificate(number=f"JIM-T-{secrets.token_hex(4)}", code=secrets.token_urlsafe(32), user_id=user.id,
                      track_slug="jimwerker", qualification="jimwerker", audience=audience, issued_at=issued,
                      expires_at=issued + timedelta(days=30 * months), holder_name=user.name, track_title="JIMwerker",
                      trainer_name="T", organisation_kind=kind, region=region, work_context=context,
                      revoked_at=NOW if revoked else None)
    db.session.add(row)
    return row


@pytest.fixture
def known(make_user, make_cohort):
    """Seven professionals; one renewed (counts once), one revoked (does not count), one expired (counts toward
    the goal, not as valid now), one future JIM-trainer (not a professional)."""
    people = [make_user(name=f"P{i}") for i in range(7)]
    add(people[0], datetime(2026, 3, 10, tzinfo=UTC))
    add(people[1], datetime(2026, 3, 20, tzinfo=UTC), region="Utrecht Stad", kind="wijkteam", context="wijkteam")
    add(people[2], datetime(2026, 5, 2, tzinfo=UTC), region="Utrecht Stad", kind="wijkteam", context="wijkteam")
    add(people[3], datetime(2023, 1, 5, tzinfo=UTC))  # expired
    add(people[3], datetime(2026, 5, 30, tzinfo=UTC))  # ...and renewed: one professional
    add(people[4], datetime(2026, 6, 1, tzinfo=UTC), kind="gemeente", context="participatiewet", revoked=True)
    add(people[5], datetime(2023, 6, 1, tzinfo=UTC), region="Groningen", kind="school", context="onderwijs")
    add(people[6], datetime(2026, 6, 2, tzinfo=UTC), audience="trainer")
    db.session.commit()
    licensed = make_user(role="trainer")
    give_licence(licensed, days_left=30)
    give_licence(make_user(role="trainer"), days_left=400)
    expired = make_user(role="trainer")
    give_licence(expired, days_left=-5, days_ago=700)
    make_user(role="trainer")  # never licensed
    make_cohort(status="running")
    make_cohort(status="running")
    make_cohort(status="finished")


def test_totals_count_each_professional_once(known):
    figures = national_figures(now=NOW)
    assert figures.certified == 5  # P0, P1, P2, P3 (renewed), P5 (expired); not P4 (revoked) or P6 (trainer)
    assert figures.valid_now == 4  # P5 has expired
    assert figures.issued == 7 and figures.revoked == 1 and figures.expired == 2
    assert figures.percent_of_goal == 0 and figures.goal == 3000


def test_over_time_is_cumulative_by_month_of_the_first_certificate_with_every_month_shown(known):
    over_time = dict(national_figures(now=NOW).over_time)
    assert list(over_time)[0] == "2023-01" and list(over_time)[-1] == "2026-12" and len(over_time) == 48
    assert (over_time["2023-01"], over_time["2023-05"], over_time["2023-06"]) == (1, 1, 2)
    assert (over_time["2026-02"], over_time["2026-03"], over_time["2026-05"], over_time["2026-12"]) == (2, 4, 5, 5)


def test_breakdowns_by_region_kind_and_context(known):
    figures = national_figures(now=NOW)
    assert figures.by_region == [("Twente", 2), ("Utrecht Stad", 2), ("Groningen", 1)]
    assert figures.by_organisation_kind == [("Jeugdzorg", 2), ("Wijkteam", 2), ("School", 1)]
    assert figures.by_work_context == [("Jeugdhulp", 2), ("Wijkteam", 2), ("Onderwijs", 1)]


def test_trainers_licences_and_cohorts(known):
    figures = national_figures(now=utcnow())
    assert (figures.trainers, figures.licensed_trainers, figures.licences_ending_soon) == (4, 2, 1)
    assert figures.cohorts_running == 2 and dict(figures.cohorts)["Afgerond"] == 1


def test_dashboard_page_and_csv_show_the_figures(client, login, make_user, known):
    login(client, make_user(role="admin"))
    page = client.get("/admin/national").get_data(as_text=True)
    assert "Op weg naar 3.000 JIMwerkers" in page and "<svg" in page and "Utrecht Stad" in page
    rows = list(csv.reader(io.StringIO(client.get("/admin/national.csv").get_data(as_text=True))))
    assert rows[0] == ["section", "label", "value"]
    assert ["region", "Groningen", "1"] in rows and ["total", "goal", "3000"] in rows


def test_national_figures_come_in_both_variants_and_the_page_offers_both(client, login, make_user, known):
    """Issue 14 item 12: the national figures as standard CSV and for Excel; the page links to both."""
    login(client, make_user(role="admin"))
    standard, excel = both_variants(client, "/admin/national.csv")
    assert standard == excel and ["region", "Groningen", "1"] in standard
    assert offers_both_variants(client.get("/admin/national").get_data(as_text=True), "/admin/national.csv")


def test_public_progress_page_has_totals_and_no_personal_data(client, known):
    page = client.get("/progress").get_data(as_text=True)
    assert "Voortgang van JIM in Nederland" in page and "Twente" in page
    # The random CSRF tokens of the page's forms could contain "P0" by chance.
    page = re.sub(r'name="csrf_token" value="[^"]*"', "", page)
    assert "P0" not in page and "@example.org" not in page and "JIM-T-" not in page


@pytest.mark.parametrize("who", ["learner", "trainer", "actor"])
def test_only_admins_open_the_national_dashboard(client, login, make_user, who):
    login(client, make_user(role=who))
    assert client.get("/admin/national").status_code == 403
    assert client.get("/admin/national.csv").status_code == 403


def _bulk(count, users):
    now = utcnow()
    regions = ["Twente", "Utrecht Stad", "Groningen", "Rijnmond"]
    db.session.execute(insert(Certificate), [
        {"number": f"JIM-B-{i:06d}", "code": f"bulk-code-{i:06d}-{secrets.token_hex(8)}",
         "user_id": users[i % len(users)].id, "track_slug": "jimwerker", "qualification": "jimwerker",
         "audience": "learner", "issued_at": now - timedelta(days=i % 700),
         "expires_at": now + timedelta(days=400 - i % 700), "holder_name": "X", "track_title": "JIMwerker",
         "trainer_name": "T", "organisation_name": "", "organisation_kind": "jeugdzorg",
         "region": regions[i % 4], "work_context": "jeugdhulp"}
        for i in range(count)])
    db.session.commit()


def test_dashboard_query_count_is_the_same_for_10_and_10000_certificates(client, login, make_user):
    users = [make_user() for _ in range(20)]
    login(client, make_user(role="admin"))
    _bulk(10, users)
    small = count_queries(lambda: client.get("/admin/national"))
    public_small = count_queries(lambda: client.get("/progress"))
    db.session.execute(Certificate.__table__.delete())
    _bulk(10_000, users)
    assert national_figures().issued == 10_000
    assert count_queries(lambda: client.get("/admin/national")) == small
    assert count_queries(lambda: client.get("/progress")) == public_small
    assert small <= 14


def test_the_public_page_names_months_in_dutch_and_folds_its_tables(client, world):
    create_certificate(world.learner, world.trainer, world.track, world.cohort, utcnow())
    db.session.commit()
    forget_national_figures()
    page = client.get("/progress").get_data(as_text=True)
    assert not re.search(r">\d{4}-\d{2}<", page), "a month written as 2026-12"
    dutch = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
             "november", "december")
    assert any(f'<th scope="row">{name} ' in page for name in dutch)
    assert page.count('<details class="figure-table">') == 4  # every long table behind a disclosure
