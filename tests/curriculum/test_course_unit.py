"""The course unit for hogescholen (modules/onderwijseenheid/): `content check` validates it like the other content,
and lecturers, trainers and admins read it in the app with a study load computed from the content."""

import pytest

from jimtraining.config import PROJECT_ROOT
from jimtraining.content_tree import load_content
from jimtraining.curriculum.studyload import HOURS_PER_EC, word_count
from tests.support.database import count_queries

COMPETENCES = """competences:
  - id: netwerk-verkennen
    name: "Het netwerk verkennen"
    description: "Samen met de jongere het netwerk verkennen."
"""


def unit_file(content_dir, name: str, front: str, body: str = "Tekst.\n"):
    return content_dir.raw(f"onderwijseenheid/{name}", f"---\n{front}---\n{body}")


def problems_of(content_dir):
    return [str(p) for p in load_content(content_dir.root).problems]


@pytest.fixture
def curriculum(content_dir):
    content_dir.module("01-basis", title="Basis")
    content_dir.lesson("01-basis", "01-eerste.md", title="Eerste les")
    return content_dir


# content check ----------------------------------------------------------------------------------------------

def test_shipped_course_unit_has_every_part_and_passes_the_check():
    tree = load_content(PROJECT_ROOT / "modules")
    assert tree.problems == []
    titles = " ".join(part.title for part in tree.course_unit)
    for expected in ("studielast", "Leeruitkomsten", "Handleiding voor docenten", "Beoordeling", "Literatuur"):
        assert expected in titles
    outcomes = [outcome for part in tree.course_unit for outcome in part.outcomes]
    assert outcomes and all(set(o.competences) <= set(tree.competences) for o in outcomes)
    # Every competence is taught by some outcome, and every session plan names modules that exist.
    assert {c for o in outcomes for c in o.competences} == set(tree.competences)
    assert sum(len(part.sessions) for part in tree.course_unit) >= 3


def test_shipped_assessment_part_uses_the_track_whose_practice_prompt_it_assesses():
    tree = load_content(PROJECT_ROOT / "modules")
    tracks = {track.slug: track for track in tree.tracks}
    assessed = [part for part in tree.course_unit if part.track and not part.study_load]
    assert assessed, "the assessment criteria name the track of the practice assignment"
    for part in assessed:
        assert tracks[part.track].requirements.get("practice"), part.track


def test_cli_check_counts_the_course_unit_parts(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "5 course unit parts" in result.output


def test_a_valid_course_unit_passes(curriculum):
    unit_file(curriculum, "01-overzicht.md", 'title: "Overzicht"\nsummary: "Kort."\nstudy_load: {words_per_minute: '
              "100, minutes_per_question: 2, practice_hours: 8, scenario_hours: 4}\n",
              "Zie [de les](../01-basis/01-eerste.md) en [de handleiding](02-handleiding.md).\n")
    unit_file(curriculum, "02-handleiding.md", 'title: "Handleiding"\nsummary: "Kort."\nsessions:\n'
              '  - {title: "Start", minutes: 120, modules: [basis]}\n')
    assert problems_of(curriculum) == []
    parts = load_content(curriculum.root).course_unit
    assert [part.slug for part in parts] == ["overzicht", "handleiding"]
    assert parts[1].sessions[0].modules == ["basis"]


def test_missing_title_and_unknown_field_are_reported_at_their_line(curriculum):
    unit_file(curriculum, "01-overzicht.md", 'summary: "Kort."\nhours: 12\n')
    assert problems_of(curriculum) == [
        "onderwijseenheid/01-overzicht.md:3: onbekend veld 'hours' (toegestaan: outcomes, sessions, shows, "
        "study_load, summary, title, track)",
        "onderwijseenheid/01-overzicht.md:1: titel ontbreekt ('title')",
    ]


def test_an_outcome_with_a_competence_that_does_not_exist_is_reported(curriculum):
    curriculum.competences(COMPETENCES, "netwerk-verkennen")
    unit_file(curriculum, "02-uitkomsten.md", 'title: "Leeruitkomsten"\nsummary: "Kort."\noutcomes:\n'
              '  - text: "De student verkent het netwerk."\n    competences: [netwerk-verkennen, bestaat-niet]\n'
              "    modules: [basis, geen-module]\n")
    assert problems_of(curriculum) == [
        "onderwijseenheid/02-uitkomsten.md:6: onbekende competentie 'bestaat-niet' (zie competences.yml)",
        "onderwijseenheid/02-uitkomsten.md:7: onbekende module 'geen-module'",
    ]


def test_an_outcome_without_competences_is_reported(curriculum):
    unit_file(curriculum, "02-uitkomsten.md", 'title: "L"\nsummary: "K"\noutcomes:\n  - text: "Iets."\n')
    assert any("minstens één competentie" in p for p in problems_of(curriculum))


def test_unknown_track_bad_numbers_and_unknown_shows_are_reported(curriculum):
    unit_file(curriculum, "01-overzicht.md", 'title: "O"\nsummary: "K"\ntrack: geen-traject\nshows: plaatjes\n'
              "study_load: {words_per_minute: 5, minutes_per_question: true, practice_hours: 8}\n")
    found = problems_of(curriculum)
    assert any("onbekend certificeringstraject 'geen-traject'" in p for p in found)
    assert any("'shows' is een van: literatuur, studielast" in p for p in found)
    assert any("'words_per_minute' is een heel getal van 50 tot en met 400" in p for p in found)
    assert any("'minutes_per_question' is een getal, geen ja of nee" in p for p in found)
    assert any("'scenario_hours' ontbreekt" in p for p in found)


def test_session_without_minutes_and_with_an_unknown_module_is_reported(curriculum):
    unit_file(curriculum, "03-handleiding.md", 'title: "H"\nsummary: "K"\nsessions:\n'
              '  - {title: "Start", modules: [nergens]}\n')
    found = problems_of(curriculum)
    assert any("'minutes' ontbreekt" in p for p in found)
    assert any("onbekende module 'nergens'" in p for p in found)


def test_broken_links_pictures_and_bad_file_names_are_reported(curriculum):
    unit_file(curriculum, "01-overzicht.md", 'title: "O"\nsummary: "K"\n',
              "Zie [weg](../01-basis/99-weg.md) en [ook weg](07-weg.md).\n\n![schema](schema.png)\n")
    curriculum.raw("onderwijseenheid/Overzicht.md", "---\ntitle: x\n---\n")
    found = problems_of(curriculum)
    assert "onderwijseenheid/01-overzicht.md:5: kapotte link naar een les: ../01-basis/99-weg.md" in found
    assert "onderwijseenheid/01-overzicht.md:5: kapotte link naar een les: 07-weg.md" in found
    assert any(p.startswith("onderwijseenheid/01-overzicht.md:7:") and "geen afbeeldingen" in p for p in found)
    assert any(p.startswith("onderwijseenheid/Overzicht.md:1: bestandsnaam") for p in found)


def test_study_load_may_be_written_only_once(curriculum):
    load = "study_load: {words_per_minute: 100, minutes_per_question: 2, practice_hours: 8, scenario_hours: 4}\n"
    unit_file(curriculum, "01-a.md", f'title: "A"\nsummary: "K"\n{load}')
    unit_file(curriculum, "02-b.md", f'title: "B"\nsummary: "K"\n{load}')
    assert any(p.startswith("onderwijseenheid/02-b.md:1: 'study_load' staat al in") for p in problems_of(curriculum))


def test_the_folder_is_not_read_as_a_badly_named_module(curriculum):
    unit_file(curriculum, "01-overzicht.md", 'title: "O"\nsummary: "K"\n')
    assert not any("mapnaam" in p for p in problems_of(curriculum))


# the pages ---------------------------------------------------------------------------------------------------

UNIT_OVERVIEW = ('title: "Overzicht van de eenheid"\nsummary: "De eenheid in het kort."\nshows: studielast\n'
                 "study_load: {words_per_minute: 100, minutes_per_question: 2, practice_hours: 8, "
                 "scenario_hours: 4}\n")


@pytest.fixture
def unit(synced_content):
    unit_file(synced_content, "01-overzicht.md", UNIT_OVERVIEW, "Lees de [handleiding](02-handleiding.md).\n")
    unit_file(synced_content, "02-handleiding.md", 'title: "Handleiding"\nsummary: "Voor docenten."\nsessions:\n'
              '  - {title: "Startbijeenkomst", minutes: 120, modules: [basis]}\n'
              '  - {title: "Slot", minutes: 60, modules: []}\n',
              'Zie [de module](../01-basis/module.md).\n\n<script>alert(1)</script>\n')
    unit_file(synced_content, "03-literatuur.md", 'title: "Literatuur"\nsummary: "Bronnen."\nshows: literatuur\n')
    return synced_content


def test_learners_and_actors_may_not_open_the_course_unit(client, login, make_user, unit):
    for role in ("learner", "actor"):
        login(client, make_user(role=role))
        assert client.get("/onderwijseenheid/").status_code == 403
        assert client.get("/onderwijseenheid/handleiding").status_code == 403
        assert "/onderwijseenheid" not in client.get("/").get_data(as_text=True)
        client.submit("/logout", {}, page="/")


def test_anonymous_visitor_is_sent_to_login(client, unit):
    response = client.get("/onderwijseenheid/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_lecturer_finds_the_course_unit_from_the_start_page_and_the_modules_page(client, login, make_user, unit):
    login(client, make_user(role="trainer"))
    start = client.get("/").get_data(as_text=True)
    modules = client.get("/modules/").get_data(as_text=True)
    assert start.count('href="/onderwijseenheid/"') == 1
    assert modules.count('href="/onderwijseenheid/"') == 1


def test_overview_shows_the_study_load_computed_from_the_content(client, login, make_user, unit):
    from jimtraining.content.catalogue import catalogue

    login(client, make_user(role="admin"))
    response = client.get("/onderwijseenheid/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Overzicht van de eenheid" in page
    with client.application.test_request_context():
        content = catalogue()
        words = sum(word_count(lesson.body) for lesson in content.by_slug["basis"].active_lessons)
    assert f"{words} woorden" in page
    # Hours: reading (a few words), the session on 'basis' (2 hours), the other session (1 hour), practice 8,
    # scenarios 4: about 15 hours, so the proposal is one EC.
    assert "Andere bijeenkomsten" in page
    assert "Voorstel: 1 EC" in page
    assert f"{HOURS_PER_EC} uur per EC" in page
    assert 'href="/onderwijseenheid/handleiding"' in page  # the Markdown link to 02-handleiding.md, rewritten


def test_study_load_follows_the_modules_when_a_lesson_grows(client, login, make_user, unit):
    from jimtraining.content_tree import load_content, sync_content

    login(client, make_user(role="trainer"))
    before = client.get("/onderwijseenheid/").get_data(as_text=True)
    unit.lesson("01-basis", "02-tweede.md", title="Tweede les", body="woord " * 3000)
    sync_content(load_content(unit.root))
    after = client.get("/onderwijseenheid/").get_data(as_text=True)
    assert before != after
    assert "3.0" in after  # 3.000+ words, in Dutch digits


def test_part_page_renders_sanitised_markdown_sessions_and_module_links(client, login, make_user, unit):
    login(client, make_user(role="trainer"))
    page = client.get("/onderwijseenheid/handleiding").get_data(as_text=True)
    assert "Startbijeenkomst" in page and "120 minuten" in page
    assert 'href="/modules/basis"' in page
    assert "<script>alert(1)" not in page


def test_literature_lists_every_source_of_the_modules_once(client, login, make_user, unit):
    login(client, make_user(role="trainer"))
    page = client.get("/onderwijseenheid/literatuur").get_data(as_text=True)
    assert page.count("Een bron") == 1  # both test modules cite it
    assert "Gebruikt in:" in page and ">Basis</a>" in page and ">Verder</a>" in page


def test_unknown_part_is_404(client, login, make_user, unit):
    login(client, make_user(role="trainer"))
    assert client.get("/onderwijseenheid/bestaat-niet").status_code == 404


def test_without_a_course_unit_the_overview_says_so(client, login, make_user, synced_content):
    login(client, make_user(role="trainer"))
    response = client.get("/onderwijseenheid/")
    assert response.status_code == 200
    assert "Er staat nog geen onderwijseenheid op het platform." in response.get_data(as_text=True)


def test_course_unit_pages_cost_two_queries(app, client, login, make_user, unit):
    login(client, make_user(role="trainer"))
    for url in ("/onderwijseenheid/", "/onderwijseenheid/handleiding"):
        # The login session and the content token: the unit comes from its files, the rest from the catalogue.
        assert count_queries(lambda url=url: client.get(url)) <= 2, url


def test_a_broken_part_that_skipped_the_check_is_left_out_not_a_server_error(client, login, make_user, unit):
    unit.raw("onderwijseenheid/04-kapot.md", "---\ntitle: [niet: af\n---\nTekst.\n")
    unit.raw("onderwijseenheid/05-raar.md", '---\ntitle: "Raar"\nsummary: 12\nsessions: veel\n'
             "study_load: {words_per_minute: nul}\noutcomes: [1]\n---\nTekst.\n")
    login(client, make_user(role="trainer"))
    response = client.get("/onderwijseenheid/")
    assert response.status_code == 200
    assert "Overzicht van de eenheid" in response.get_data(as_text=True)
    assert client.get("/onderwijseenheid/kapot").status_code == 404
    assert client.get("/onderwijseenheid/raar").status_code == 200
