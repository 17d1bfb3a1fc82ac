"""Dutch by default; English on request; the catalog is complete and up to date."""

import subprocess
import sys

from babel.messages.pofile import read_po

from jimtraining.config import PROJECT_ROOT

CATALOG = PROJECT_ROOT / "jimtraining" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_new_visitor_sees_dutch_even_when_the_browser_asks_for_english(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Leer werken met de JIM-aanpak" in page


def test_switching_to_english_changes_the_interface(client):
    response = client.submit("/language", {"locale": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert '<label for="email">Email address</label>' in page
    assert '<label for="password">Password</label>' in page


def test_switching_back_to_dutch(client):
    client.submit("/language", {"locale": "en"})
    client.submit("/language", {"locale": "nl"})
    assert "Leer werken met de JIM-aanpak" in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.submit("/language", {"locale": "xx"})
    assert '<html lang="nl">' in client.get("/").get_data(as_text=True)


def test_language_choice_is_kept_in_the_profile(app, client, login, make_user):
    user = make_user()
    login(client, user)
    client.submit("/language", {"locale": "en"})
    assert user.locale == "en"
    other_device = app.test_client()
    login(other_device, user)
    assert '<html lang="en">' in other_device.get("/").get_data(as_text=True)


def test_error_pages_follow_the_language(client):
    client.submit("/language", {"locale": "en"})
    assert "Page not found" in client.get("/bestaat-niet").get_data(as_text=True)


def test_english_catalog_translates_every_message():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def test_english_catalog_is_up_to_date_with_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-o", str(pot), "--no-location", "--omit-header", "."],
        cwd=PROJECT_ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    with CATALOG.open("rb") as fh:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert sorted(wanted - have) == [], "run `make messages` and translate the new strings"
