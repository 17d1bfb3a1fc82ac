"""The round rules decide on a person's own part: a Seat looked up for one person never answers for another."""

from types import SimpleNamespace

from jimtraining.access import RULES
from jimtraining.access.roleplay import Seat
from jimtraining.roleplay.models import Part


def test_a_seat_looked_up_for_one_person_never_answers_for_another(make_user):
    admin, learner = make_user(role="admin"), make_user()
    round_ = SimpleNamespace(id=-1, session_id=-1, player_id=-1, professional_id=learner.id, released_at=None)
    seat = Seat(round_, admin.id, Part.TRAINER)
    assert RULES["round.release"](admin, seat)
    # For the learner the rule looks their own part up: the round's session is not one of their groups.
    assert not RULES["round.view"](learner, seat)
    assert not RULES["round.release"](learner, seat)


def test_the_professional_sees_the_debrief_only_after_release(make_user):
    learner = make_user()
    round_ = SimpleNamespace(id=-1, session_id=-1, player_id=-1, professional_id=learner.id, released_at=None)
    debrief = RULES["round.debrief"]
    assert not debrief(learner, Seat(round_, learner.id, Part.PROFESSIONAL))
    round_.released_at = "2025-01-01"
    assert debrief(learner, Seat(round_, learner.id, Part.PROFESSIONAL))
    assert not debrief(learner, Seat(round_, learner.id, Part.OBSERVER))
