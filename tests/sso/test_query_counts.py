"""The SSO pages stay within their query budgets (tests/performance/query_budgets.py, SSO_BUDGETS), also with
more people and links in the database."""

from tests.performance.query_budgets import BUDGETS, SSO_BUDGETS
from tests.support.database import count_queries
from tests.support.sso import QUIET, new_sub, start, surf_claims

pytestmark = QUIET


def _callback(client, provider, sub) -> str:
    return provider.authorize(start(client).location, sub)


def _others(app, provider, how_many: int) -> None:
    """More people with linked accounts, logged in the same way."""
    for number in range(how_many):
        sub = new_sub()
        provider.set_user(sub, **surf_claims(email=f"ander{number}@hogeschool.example",
                                             eduperson_principal_name=f"a{number}@hogeschool.example"))
        browser = app.test_client()
        assert browser.get(_callback(browser, provider, sub)).status_code == 302


def _measure(app, provider) -> dict[str, int]:
    sub = new_sub()
    provider.set_user(sub, **surf_claims(email=f"{sub}@hogeschool.example",
                                         eduperson_principal_name=f"{sub}@hogeschool.example"))
    browser = app.test_client()
    callback = _callback(browser, provider, sub)
    counts = {"sso.callback making an account": count_queries(lambda: browser.get(callback))}
    counts["accounts.profile with providers configured"] = count_queries(lambda: browser.get("/profile"))
    browser.submit("/logout")
    callback = _callback(browser, provider, sub)
    counts["sso.callback with a linked account"] = count_queries(lambda: browser.get(callback))
    return counts


def test_sso_pages_stay_within_their_budget_and_do_not_grow_with_the_data(app, surfconext):
    small = _measure(app, surfconext)
    _others(app, surfconext, 5)
    large = _measure(app, surfconext)

    assert small == large, "a count grows with the data (an N+1?)"
    over = {what: (queries, SSO_BUDGETS[what]) for what, queries in small.items() if queries > SSO_BUDGETS[what]}
    assert not over, f"over budget (queries, budget): {over}"
    assert SSO_BUDGETS["accounts.profile with providers configured"] == BUDGETS["accounts.profile"] + 1
