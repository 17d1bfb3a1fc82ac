"""A cohort's modules and its track agree (issue 14, item 2).

A cohort shows every module its certification track requires (its lessons, or its quiz); it may show more. The
cohort form refuses less, naming the missing modules; the dashboard of a cohort that no longer fits (the track
changed after it was saved) says so; `flask content check --database` and `flask content sync` name such cohorts.
The demo's hogeschool class follows a track that fits it, and a lecturer's own certificate page speaks to them as
the trainer they are.
"""

from html import unescape

import pytest
from sqlalchemy import select

from jimtraining.cohorts.models import Cohort
from jimtraining.extensions import db
from tests.support.certification import make_track

#: The test track's requirements (tests/support/certification.py): modules basis and verder, the quiz of basis.
EDIT_FIELDS = {"name": "Groep A", "region": "Twente", "status": "running", "work_context": ""}


def edit(client, cohort, **fields):
    url = f"/cohorts/{cohort.id}/edit"
    data = {**EDIT_FIELDS, "organisation_id": cohort.organisation_id, **fields}
    return client.submit(url, data, page=url)


def test_item_2_the_cohort_form_refuses_a_track_whose_modules_the_group_does_not_show(client_for, world):
    """Issue 14, item 2: the hogeschool class showed 4 modules while its track required 6 modules and 6 quizzes."""
    cohort = world.cohort
    client = client_for(world.trainer)
    refused = edit(client, cohort, module_slugs=["basis"], track_slug="jimwerker", trainer_ids=[world.trainer.id])
    assert refused.status_code == 200
    page = unescape(refused.get_data(as_text=True))
    assert ("Het certificeringstraject 'JIMwerker' vraagt ook de module 'Verder', maar die staat niet bij de "
            "modules van de groep. Vink de ontbrekende modules aan, of kies een ander traject.") in page
    assert 'id="module_slugs-error"' in page
    db.session.refresh(cohort)
    assert cohort.module_slugs == [] and cohort.name == "Groep 1"  # nothing saved
    saved = edit(client, cohort, module_slugs=["basis", "verder"], track_slug="jimwerker",
                 trainer_ids=[world.trainer.id])
    assert saved.status_code == 302
    db.session.refresh(cohort)
    assert cohort.module_slugs == ["basis", "verder"] and cohort.track_slug == "jimwerker"


def test_a_new_group_is_refused_the_same_way_and_a_quiz_counts_as_required(client_for, world, make_user):
    make_track(slug="alleen-toets", title="Alleen de toets", requirements={
        "modules": [], "quizzes": ["basis"], "attendance_percent": 0, "roleplay_sufficient": 0, "practice": None})
    client = client_for(world.trainer)
    data = {**EDIT_FIELDS, "name": "Nieuwe groep", "organisation_id": world.cohort.organisation_id,
            "module_slugs": ["verder"], "track_slug": "alleen-toets"}
    refused = client.submit("/cohorts/new", data, page="/cohorts/new")
    assert refused.status_code == 200
    assert "vraagt ook de module 'Basis'" in unescape(refused.get_data(as_text=True))
    assert db.session.scalar(select(Cohort).where(Cohort.name == "Nieuwe groep")) is None
    # More modules than the track needs is fine.
    data["module_slugs"] = ["basis", "verder"]
    assert client.submit("/cohorts/new", data, page="/cohorts/new").status_code == 302


def test_a_group_without_a_track_may_show_any_modules(client_for, world):
    client = client_for(world.trainer)
    response = edit(client, world.cohort, module_slugs=["verder"], track_slug="",
                    trainer_ids=[world.trainer.id])
    assert response.status_code == 302


def test_the_dashboard_says_when_a_group_no_longer_fits_its_track(client_for, world):
    cohort = world.cohort  # made directly in the database: follows jimwerker without its modules
    cohort.module_slugs = ["basis"]
    db.session.commit()
    page = unescape(client_for(world.trainer).get(f"/cohorts/{cohort.id}").get_data(as_text=True))
    assert "vraagt ook de module 'Verder', maar die staat niet bij de modules van de groep." in page
    assert f'href="/cohorts/{cohort.id}/edit"' in page
    cohort.module_slugs = ["basis", "verder"]
    db.session.commit()
    assert "vraagt ook de module" not in client_for(world.trainer).get(f"/cohorts/{cohort.id}").get_data(
        as_text=True)


TRACK_FILE = """\
title: "Basistraject"
summary: "Voor de test."
audience: learner
valid_months: 12
requirements:
  modules: [basis, verder]
"""


@pytest.fixture
def content_with_track(synced_content):
    from jimtraining.content_tree import load_content, sync_content

    synced_content.raw("tracks/basistraject.yml", TRACK_FILE)
    tree = load_content(synced_content.root)
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    return synced_content


def test_content_check_with_database_names_groups_that_do_not_fit_their_track(runner, make_cohort,
                                                                              content_with_track):
    fits = make_cohort(name="Past wel", track_slug="basistraject", module_slugs=["basis", "verder"])
    lacking = make_cohort(name="Past niet", track_slug="basistraject", module_slugs=["basis"])
    make_cohort(name="Oud", track_slug="basistraject", module_slugs=[], status="archived")
    assert runner.invoke(args=["content", "check"]).exit_code == 0  # the files alone are fine
    result = runner.invoke(args=["content", "check", "--database"])
    assert result.exit_code == 1
    assert (f"database: groep {lacking.id} 'Past niet' (/cohorts/{lacking.id}/edit): Het certificeringstraject "
            "'Basistraject' vraagt ook de module 'Verder', maar die staat niet bij de modules van de groep."
            in result.output)
    assert "Past wel" not in result.output and "'Oud'" not in result.output and f"groep {fits.id} " not in \
        result.output
    assert "1 problem(s) found." in result.output


def test_content_sync_warns_about_groups_a_changed_track_no_longer_fits(runner, make_cohort, content_with_track):
    cohort = make_cohort(name="Alleen basis", track_slug="basistraject", module_slugs=["basis"])
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0
    assert f"warning: database: groep {cohort.id} 'Alleen basis'" in result.output
    assert "1 group(s) do not show every module their track requires" in result.output


def test_content_check_already_refuses_a_track_that_requires_what_does_not_exist(runner, content_with_track):
    """The file side of the rule: a track requiring an unknown module, or the quiz of a module without one."""
    content_with_track.raw("tracks/kapot.yml", TRACK_FILE.replace("[basis, verder]", "[basis, bestaat-niet]")
                           + "  quizzes: [verder]\n")
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "onbekende module 'bestaat-niet'" in result.output
    assert "module 'verder' heeft geen toets (quiz.yml)" in result.output


def test_a_trainer_without_a_licence_is_not_told_to_ask_for_a_group_code(client_for, world, make_user):
    lecturer = make_user(role="trainer", name="Dana Docent")
    world.cohort.trainers.append(lecturer)
    db.session.commit()
    page = client_for(lecturer).get("/certification").get_data(as_text=True)
    assert "Vraag je trainer om een groepscode" not in page
    assert "Via de groepen die je zelf leidt, haal je geen certificaat." in page
    assert "Je hebt geen licentie als JIM-trainer." in page
    assert f'href="/cohorts/{world.cohort.id}"' in page and "certificeringstraject JIMwerker" in page
    licensed = client_for(world.trainer).get("/certification").get_data(as_text=True)
    assert "Je hebt een geldige licentie als JIM-trainer tot" in licensed
    assert "Vraag je trainer om een groepscode" in client_for(make_user()).get("/certification").get_data(
        as_text=True)


@pytest.fixture
def demo(app):
    """The demo data on the real curriculum (modules/ with its tracks)."""
    from jimtraining.content_tree import load_content, sync_content
    from jimtraining.demo import seed_demo

    tree = load_content(app.config["MODULES_DIR"])
    assert tree.ok, [str(p) for p in tree.problems]
    sync_content(tree)
    seed_demo()


def test_item_2_the_demo_class_follows_a_track_that_fits_it_and_its_lecturer_sees_a_fitting_page(demo, client,
                                                                                               login):
    """Issue 14, item 2: "Hogeschool Midden, klas SPH-2B" counted 4 modules in its matrix while its track asked 6
    modules and 6 quizzes; its lecturer's certificate page said "Vraag je trainer om een groepscode"."""
    from jimtraining.accounts.models import User
    from jimtraining.cohorts.track_fit import cohorts_lacking_track_modules
    from jimtraining.content.catalogue import catalogue

    assert cohorts_lacking_track_modules(catalogue().tracks) == []
    school = db.session.scalar(select(Cohort).where(Cohort.name == "Hogeschool Midden, klas SPH-2B"))
    assert school.track_slug is not None
    lecturer = db.session.scalar(select(User).where(User.email == "docent@example.org"))
    login(client, lecturer, "jim-demo-wachtwoord")
    dashboard = client.get(f"/cohorts/{school.id}").get_data(as_text=True)
    assert "vraagt ook de module" not in dashboard
    required = catalogue().tracks[school.track_slug].requirements
    assert f"Modules af (van {len(required['modules'])})" in dashboard
    assert dashboard.count('class="matrix-quiz"') == len(required["quizzes"])  # a column per quiz the track asks
    page = client.get("/certification").get_data(as_text=True)
    assert "Vraag je trainer om een groepscode" not in page
    assert "Hogeschool Midden, klas SPH-2B" in page and "Je hebt geen licentie als JIM-trainer." in page
