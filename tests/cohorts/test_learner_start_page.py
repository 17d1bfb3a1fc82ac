"""What a learner's start page shows of their groups: name, trainers, next session, what is left to do."""

import re
from datetime import timedelta
from types import SimpleNamespace

from jimtraining.cohorts.enrolment import group_cards, remove_learner
from tests.support.database import count_queries


def panel(page: str, name: str) -> str:
    match = re.search(r'<div class="panel">\s*<h3>' + re.escape(name) + r"</h3>.*?</div>", page, re.S)
    assert match, f"no panel for {name}"
    return match.group(0)


def test_each_group_shows_its_trainers_its_next_session_and_what_is_left(client, login, make_user, make_cohort,
                                                                         make_session, synced_content):
    learner = make_user(name="Lotte Leerling")
    zoe, bas = make_user(role="trainer", name="Zoë Zwart"), make_user(role="trainer", name="Bas Bakker")
    first = make_cohort(trainers=[zoe, bas], learners=[learner], name="Groep Noord", module_slugs=["basis"])
    second = make_cohort(trainers=[zoe], learners=[learner], name="Groep Zuid")
    make_session(first, starts_in=timedelta(days=-8), title="Al geweest")
    make_session(first, starts_in=timedelta(days=9), title="Later")
    make_session(first, starts_in=timedelta(days=2), title="Eerstvolgende")
    login(client, learner)
    page = client.get("/").get_data(as_text=True)
    north, south = panel(page, "Groep Noord"), panel(page, "Groep Zuid")
    assert "Trainer: Bas Bakker, Zoë Zwart" in north  # by name
    assert "Eerstvolgende" in north and "Later" not in north and "Al geweest" not in north
    assert "Basis" in north  # the group's module that is not done yet
    assert "Trainer: Zoë Zwart" in south and "nog geen volgende bijeenkomst" in south
    assert page.index("Groep Noord") < page.index("Groep Zuid")
    assert [card.name for card in group_cards(learner)] == ["Groep Noord", "Groep Zuid"]
    assert second.id in {card.id for card in group_cards(learner)}


def test_a_group_the_learner_left_is_not_on_the_page(client, login, make_user, make_cohort):
    learner = make_user()
    cohort = make_cohort(trainers=[make_user(role="trainer")], learners=[learner], name="Groep Weg")
    remove_learner(cohort, learner.id)
    login(client, learner)
    assert "Groep Weg" not in client.get("/").get_data(as_text=True)


def test_the_groups_cost_one_query_however_many_there_are(client, login, make_user, make_cohort, make_session):
    learner = make_user()
    trainer = make_user(role="trainer")
    make_session(make_cohort(trainers=[trainer], learners=[learner]))
    person = SimpleNamespace(id=learner.id)  # not the ORM row: reloading it after a commit would be counted
    few = count_queries(lambda: group_cards(person))
    for _ in range(4):
        cohort = make_cohort(trainers=[trainer, make_user(role="trainer")], learners=[learner])
        make_session(cohort)
        make_session(cohort, starts_in=timedelta(days=3))
    assert count_queries(lambda: group_cards(person)) == few == 1
    assert len(group_cards(person)) == 5
