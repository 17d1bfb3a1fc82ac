"""Login sessions end on the server when unused too long or started too long ago (issue 14 item 8), and people see
and end their own sessions at /profile/sessions."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from jimtraining.accounts import services
from jimtraining.accounts.models import LoginSession
from jimtraining.config import from_environment
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.accounts.test_login_sessions import active, remembered_login, sessions_of
from tests.support.database import statements_run

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")


def age_sessions(user, *, created=None, seen=None) -> None:
    """Move the user's sessions back in time: created and last seen this long ago."""
    values = {}
    if created is not None:
        values["created_at"] = utcnow() - created
    if seen is not None:
        values["last_seen_at"] = utcnow() - seen
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id).values(**values))
    db.session.commit()


def browser(app, user_agent=FIREFOX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


# Expiry -----------------------------------------------------------------------------------------------------

def test_a_session_unused_longer_than_the_idle_timeout_is_ended_and_the_person_told_why(app, login, make_user):
    """Issue 14 item 8: sessions never expired on the server; now an idle timeout (default 12 hours)."""
    user = make_user()
    client = app.test_client()
    login(client, user)
    age_sessions(user, created=timedelta(hours=13), seen=timedelta(hours=12, minutes=5))
    response = client.get("/profile")
    assert sent_to_login(response) and "next=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Je bent uitgelogd omdat je een tijd niets hebt gedaan. Log opnieuw in om verder te gaan." in page
    assert "Log in om deze pagina te zien." not in page  # one message, not two
    [session] = sessions_of(user)
    assert session.ended_at is not None  # ended in the database, not just refused
    assert sent_to_login(client.get("/profile"))
    assert "een tijd niets" not in client.get("/login").get_data(as_text=True)  # told once


def test_a_trainer_who_left_the_page_open_all_training_day_is_still_logged_in(app, login, make_user):
    """Issue 14 item 8: a day-long session (9 to 17 and the travel) must not throw a trainer out."""
    trainer = make_user(role="trainer")
    client = app.test_client()
    login(client, trainer)
    age_sessions(trainer, created=timedelta(hours=11, minutes=30), seen=timedelta(hours=11, minutes=30))
    assert client.get("/profile").status_code == 200
    [session] = sessions_of(trainer)
    assert utcnow() - session.last_seen_at.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)  # seen again


def test_a_remembered_session_last_seen_18_months_ago_no_longer_works(app, make_user):
    """Issue 14 item 8: "a login session last seen 18 months ago still works"."""
    user = make_user()
    client = app.test_client()
    remembered_login(client, user)
    remember = client.get_cookie("remember_token").value
    age_sessions(user, created=timedelta(days=550), seen=timedelta(days=540))
    restored = app.test_client()
    restored.set_cookie("remember_token", remember)
    assert sent_to_login(restored.get("/profile"))
    assert active(user) == []


def test_stay_logged_in_survives_a_night_and_a_weekend_but_not_two_unused_weeks(app, make_user):
    """Issue 14 item 8: "remember me" has its own idle timeout (default 14 days)."""
    user = make_user()
    client = app.test_client()
    remembered_login(client, user)
    age_sessions(user, created=timedelta(days=4), seen=timedelta(days=3))
    assert client.get("/profile").status_code == 200
    age_sessions(user, created=timedelta(days=16), seen=timedelta(days=15))
    response = client.get("/profile")
    assert sent_to_login(response)
    assert "een tijd niets hebt gedaan" in client.get("/login").get_data(as_text=True)


def test_every_session_ends_after_30_days_however_often_it_is_used(app, make_user):
    """Issue 14 item 8: an absolute lifetime, "remember me" included."""
    user = make_user()
    client = app.test_client()
    remembered_login(client, user)
    age_sessions(user, created=timedelta(days=29), seen=timedelta(minutes=5))
    assert client.get("/profile").status_code == 200
    age_sessions(user, created=timedelta(days=30, minutes=1), seen=timedelta(minutes=5))
    assert sent_to_login(client.get("/profile"))
    assert "al lang geleden hebt ingelogd" in client.get("/login").get_data(as_text=True)


def test_the_remember_me_cookie_itself_lasts_no_longer_than_the_session(app, make_user):
    """Issue 14 item 8: Flask-Login's remember cookie would last a year."""
    user = make_user()
    client = app.test_client()
    remembered_login(client, user)
    expires = client.get_cookie("remember_token").expires
    assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30)


def test_the_limits_are_settings(app, login, make_user, monkeypatch):
    """Issue 14 item 8: configurable; a short idle timeout is noted more often than hourly so that it holds."""
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 30)
    user = make_user()
    client = app.test_client()
    login(client, user)
    age_sessions(user, seen=timedelta(minutes=4))
    writes = [s for s in statements_run(lambda: [client.get("/profile") for _ in range(3)])
              if s.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1  # a tenth of the idle timeout (3 minutes) had passed: noted once, not per request
    age_sessions(user, seen=timedelta(minutes=31))
    assert sent_to_login(client.get("/profile"))


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5"])
def test_a_wrong_session_setting_in_the_environment_stops_the_app_at_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", value)
    with pytest.raises(RuntimeError, match="SESSION_IDLE_MINUTES"):
        from_environment(str(tmp_path), {"SECRET_KEY": "x", "MAIL_BACKEND": "locmem"})


def test_session_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "45")
    monkeypatch.setenv("SESSION_MAX_DAYS", "7")
    settings = from_environment(str(tmp_path), {"SECRET_KEY": "x", "MAIL_BACKEND": "locmem"})
    assert (settings["SESSION_IDLE_MINUTES"], settings["SESSION_MAX_DAYS"]) == (45, 7)


def test_checking_the_limits_adds_no_query_and_no_write(app, login, make_user):
    """Issue 14 item 8: the check must not add a database write (or read) to every request."""
    user = make_user()
    client = app.test_client()
    login(client, user)
    statements = statements_run(lambda: client.get("/profile/password"))
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")


# The sessions page ------------------------------------------------------------------------------------------

def test_the_sessions_page_lists_browsers_and_marks_this_device(app, login, make_user):
    """Issue 14 item 8: a page where a person sees their active sessions (browser, last seen)."""
    user = make_user()
    laptop, phone = browser(app, FIREFOX), browser(app, IPHONE)
    login(laptop, user)
    login(phone, user)
    old = browser(app, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Firefox/99.0")
    login(old, user)
    old.submit("/logout")
    profile = laptop.get("/profile").get_data(as_text=True)
    assert 'href="/profile/sessions"' in profile
    page = laptop.get("/profile/sessions").get_data(as_text=True)
    assert "Firefox op Linux" in page and "Mobile Safari op iOS (iPhone)" in page
    assert "Windows" not in page  # logged out: not a session any more
    this_device = '<span class="tag">dit apparaat</span>'
    assert page.count(this_device) == 1
    assert page.index("Firefox op Linux") < page.index(this_device) < page.index("Mobile Safari")
    assert "Laatst gebruikt" in page and "Andere sessies beëindigen" in page
    assert "vanzelf uitgelogd als je 12 uur niets doet" in page and "30 dagen na het inloggen" in page


def test_ending_the_other_sessions_logs_out_everywhere_else_only(app, login, make_user, outbox):
    """Issue 14 item 8: a POST button "Andere sessies beëindigen"."""
    user = make_user()
    laptop, phone, tablet = browser(app), browser(app, IPHONE), browser(app)
    for client in (laptop, phone, tablet):
        login(client, user)
    response = laptop.submit("/profile/sessions/end-others", page="/profile/sessions")
    assert response.status_code == 302
    assert "Je bent op 2 andere apparaten uitgelogd." in laptop.get("/profile/sessions").get_data(as_text=True)
    assert laptop.get("/profile").status_code == 200
    assert sent_to_login(phone.get("/profile")) and sent_to_login(tablet.get("/profile"))
    assert len(active(user)) == 1
    page = laptop.get("/profile/sessions").get_data(as_text=True)
    assert "Je bent nergens anders ingelogd." in page and "Andere sessies beëindigen" not in page


def test_one_other_session_can_be_ended_on_its_own(app, login, make_user):
    """Issue 14 item 8: per session too (a lost phone)."""
    user = make_user()
    laptop, phone, tablet = browser(app), browser(app, IPHONE), browser(app)
    for client in (laptop, phone, tablet):
        login(client, user)
    phone_session = sessions_of(user)[1]
    response = laptop.submit(f"/profile/sessions/{phone_session.id}/end", page="/profile/sessions")
    assert response.status_code == 302
    assert sent_to_login(phone.get("/profile"))
    assert tablet.get("/profile").status_code == 200 and laptop.get("/profile").status_code == 200


def test_the_current_session_is_not_ended_from_the_list_and_another_persons_is_not_found(app, login, make_user):
    user, other = make_user(), make_user()
    mine, theirs = browser(app), browser(app)
    login(mine, user)
    login(theirs, other)
    [own] = sessions_of(user)
    [their_session] = sessions_of(other)
    assert mine.submit(f"/profile/sessions/{their_session.id}/end", page="/profile/sessions").status_code == 404
    assert theirs.get("/profile").status_code == 200
    response = mine.submit(f"/profile/sessions/{own.id}/end", page="/profile/sessions")
    assert response.status_code == 302
    page = mine.get("/profile/sessions")
    assert page.status_code == 200 and "Log dan uit." in page.get_data(as_text=True)


def test_an_expired_session_is_not_listed_and_is_ended_at_the_next_login(app, login, make_user):
    user = make_user()
    forgotten = browser(app, IPHONE)
    login(forgotten, user)
    age_sessions(user, created=timedelta(days=3), seen=timedelta(days=2))  # nobody comes back with it
    laptop = browser(app)
    login(laptop, user)
    assert "Mobile Safari" not in laptop.get("/profile/sessions").get_data(as_text=True)
    ended = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id,
                                                          LoginSession.ended_at.is_not(None))).all()
    assert len(ended) == 1 and ended[0].user_agent == IPHONE


def test_seen_interval_is_a_tenth_of_a_short_idle_timeout_and_at_most_an_hour(app, monkeypatch):
    assert services.seen_every() == timedelta(hours=1)
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 20)
    assert services.seen_every() == timedelta(minutes=2)


def test_a_browser_name_full_of_markup_is_shown_as_text(app, login, make_user):
    """The User-Agent is chosen by whoever logs in (a thief too) and shown to the account's owner."""
    from tests.security.xss import live_markup, load_payloads, single_line

    user = make_user()
    owner = browser(app)
    login(owner, user)
    payloads = single_line(load_payloads())
    for start in range(0, 28, 4):  # 9 logins in all: under the per-account login limit
        intruder = browser(app, " ".join(payloads[start:start + 4])[:190] + " Firefox/125.0")
        login(intruder, user)
        intruder.get("/")
    intruder = browser(app, "<img src=x onerror=alert(1)>/1.0 (<script>alert(1)</script>) Chrome/1")
    login(intruder, user)
    page = owner.get("/profile/sessions").get_data(as_text=True)
    assert page.count("Beëindigen") == 8
    assert live_markup(page) == []
