"""Query budgets of the API's endpoints with a token (API_BUDGETS in tests/performance/query_budgets.py): each
runs at most its budget, and the same number in a small world as in one grown many times over (a count that grows
with the data is an N+1). Counted with the token's bookkeeping due (a token used more than a minute ago), the most
a request costs; a repeated request within the minute costs exactly that bookkeeping less."""

from __future__ import annotations

from datetime import timedelta

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.performance.query_budgets import API_BUDGETS
from tests.support.database import count_queries


def api_urls(api_world) -> dict[str, str]:
    return {
        "api.professionals": "/api/v1/professionals",
        "api.professional": f"/api/v1/professionals/{api_world.professional_a.id}",
        "api.cohorts": "/api/v1/cohorts",
        "api.cohort": f"/api/v1/cohorts/{api_world.cohort_a.id}",
        "api.national": "/api/v1/national",
        "api.organisation": "/api/v1/organisation",
    }


def grow(api_world, world, make_user, make_cohort, copies: int = 12) -> None:
    """Many more professionals (with certificates), groups and sessions in A, and as many in B; the person read
    by api.professional joins more groups (with sessions)."""
    from jimtraining.certification.services import create_certificate
    from jimtraining.cohorts.enrolment import enroll
    from tests.support.certification import add_sessions

    for index in range(copies):
        for organisation in (api_world.org_a, api_world.org_b):
            person = make_user(name=f"Professional {organisation.id}-{index}", organisation_id=organisation.id,
                               region="Twente")
            cohort = make_cohort(trainers=[world.trainer], learners=[person], track_slug="jimwerker")
            cohort.organisation_id = organisation.id
            add_sessions(cohort, count=3)
            create_certificate(person, world.trainer, world.track, cohort, utcnow())
            if organisation is api_world.org_a and index < 3:
                enroll(cohort, api_world.professional_a, "trainer")
    db.session.commit()


def measure(api, urls: dict[str, str], secret: str, token_row) -> dict[str, tuple[int, int]]:
    """endpoint -> (queries with the bookkeeping due, queries of a repeat within the minute)."""
    counts = {}
    for endpoint, url in urls.items():
        token_row.last_used_at = utcnow() - timedelta(days=2)
        db.session.commit()
        box = {}

        def first(url=url, box=box):
            box["first"] = api.get(url, secret)

        def repeat(url=url, box=box):
            box["repeat"] = api.get(url, secret)

        due = count_queries(first)
        again = count_queries(repeat)
        assert box["first"].status_code == 200 and box["repeat"].status_code == 200, endpoint
        counts[endpoint] = (due, again)
    return counts


def test_every_api_endpoint_has_a_budget(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")}
    assert endpoints == set(API_BUDGETS)


def test_api_endpoints_stay_within_their_budget_whatever_the_size(api, api_world, world, make_user, make_cohort,
                                                                  make_token):
    token = make_token(api_world.org_a)
    urls = api_urls(api_world)
    small = measure(api, urls, token.secret, token.row)
    grow(api_world, world, make_user, make_cohort)
    large = measure(api, urls, token.secret, token.row)
    problems = []
    for endpoint, (due, again) in small.items():
        budget = API_BUDGETS[endpoint]
        line = f"{endpoint}: small={due} large={large[endpoint][0]} budget={budget}"
        if due > budget or large[endpoint] != small[endpoint]:
            problems.append(line)
        if due - again != 2:  # the UPDATE of last_used_at and the INSERT of the audit event
            problems.append(f"{endpoint}: the bookkeeping cost {due - again} statements, expected 2")
    assert not problems, "\n".join(problems)
