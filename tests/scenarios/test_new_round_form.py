"""The trainer's "Nieuwe ronde" form on a session page: what it proposes must be a round that can be made."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from jimtraining.cohorts.attendance import new_checkin_secret
from jimtraining.cohorts.models import CohortSession
from jimtraining.extensions import db
from jimtraining.roleplay import services as live
from jimtraining.roleplay.models import RolePlayRound


class _FormDefaults(HTMLParser):
    """What a browser sends for one form when nothing is changed: per select the selected option (else the first),
    checked checkboxes and radios, and the value of other inputs."""

    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action, self.inside, self.found = action, False, False
        self.values: dict[str, list[str]] = {}
        self.selects: dict[str, dict] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("action") or "") == self.action
            self.found = self.found or self.inside
        if not self.inside:
            return
        if tag == "select":
            self._select = a.get("name")
            self.selects[self._select] = {"first": None, "selected": None}
        elif tag == "option" and self._select is not None:
            state = self.selects[self._select]
            value = a.get("value", "")
            state["first"] = value if state["first"] is None else state["first"]
            if "selected" in a:
                state["selected"] = value
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.values.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False

    def data(self) -> dict[str, list[str]]:
        assert self.found, f"no form posting to {self.action}"
        values = dict(self.values)
        for name, state in self.selects.items():
            chosen = state["selected"] if state["selected"] is not None else state["first"]
            if chosen is not None:
                values[name] = [chosen]
        return values


def form_defaults(html: str, action: str) -> dict[str, list[str]]:
    parser = _FormDefaults(action)
    parser.feed(html)
    return parser.data()


@pytest.fixture
def session_page(scenario_content, make_user, make_cohort, client_for):
    """A trainer, a running session of their cohort, and a function that opens the session page as the trainer."""
    trainer = make_user(role="trainer", name="Tineke Trainer")

    def make(learners=3, book_actor=False):
        members = [make_user(name=f"Deelnemer {chr(65 + index)}") for index in range(learners)]
        cohort = make_cohort(trainers=[trainer], learners=members)
        session = CohortSession(cohort_id=cohort.id, title="Rollenspel", starts_at=live_start(),
                                ends_at=live_start() + timedelta(hours=3), checkin_secret=new_checkin_secret())
        db.session.add(session)
        db.session.commit()
        if book_actor:
            live.book_actor(session, make_user(role="actor", name="Aya Acteur"))
        client = client_for(trainer)
        url = f"/cohorts/{cohort.id}/sessions/{session.id}"
        return client, url, f"{url}/rounds", members

    return make


def live_start():
    from jimtraining.timeutil import utcnow

    return utcnow() - timedelta(minutes=10)


@pytest.mark.parametrize("book_actor", [False, True], ids=["learners only", "with a booked actor"])
def test_item_4_the_new_round_form_submits_as_proposed(session_page, book_actor):
    """Issue 14, item 4: without a booked actor, "Nieuwe ronde" proposed the same learner as professional and as
    young person, so submitting it unchanged failed. What the form proposes now makes a round at once."""
    client, url, action, members = session_page(learners=3, book_actor=book_actor)
    data = form_defaults(client.get(url).get_data(as_text=True), action)
    assert data["professional_id"] != data["player_id"]
    response = client.submit(action, data, page=url)
    assert response.status_code == 302 and "/rounds/" in response.headers["Location"], \
        client.get(url).get_data(as_text=True).split('class="flashes"')[-1][:300]
    round_ = db.session.scalar(select(RolePlayRound))
    assert round_ is not None and round_.professional_id != round_.player_id
    assert round_.professional_id == members[0].id


def test_with_one_learner_and_no_actor_the_form_asks_who_plays_the_young_person(session_page):
    client, url, action, members = session_page(learners=1)
    page = client.get(url).get_data(as_text=True)
    data = form_defaults(page, action)
    assert data["player_id"] == [""]  # nobody proposed: the only learner plays the professional
    response = client.submit(action, data, page=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert "wie de jongere speelt" in client.get(url).get_data(as_text=True)
    assert db.session.scalar(select(RolePlayRound.id)) is None
