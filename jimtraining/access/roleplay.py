"""Who may see and do what in a live role-play round, and the loaders of the role-play pages.

A person's part in a round (trainer, player, professional, observer, or none) decides everything; it costs one
query (none for an admin). `round_or_404` looks it up once and returns a `Seat`: the round with the part of the
person of this request. Every round rule takes a Seat, or a bare round (then the rule looks the part up itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from jimtraining.access import require, rule
from jimtraining.roleplay import services
from jimtraining.roleplay.models import Part, RolePlayRound
from jimtraining.roles import Role

#: How each part that scores a round is shown in the debrief.
VIEW_OF_PART = {Part.TRAINER: "trainer", Part.OBSERVER: "peer", Part.PROFESSIONAL: "self"}
#: The note each part writes after a round (a trainee-actor who plays also writes "aftercare").
NOTE_OF_PART = {Part.PLAYER: "actor_feedback", Part.PROFESSIONAL: "self_reflection"}


@dataclass(frozen=True)
class Seat:
    """A person's place at a round: the round, who, and their part in it (None: no access)."""

    round: RolePlayRound
    user_id: int
    part: Part | None


def part_in_round(user, round_: RolePlayRound) -> Part | None:
    """The person's part in the round, or None (no access). One query (none for an admin)."""
    if not user or not user.is_authenticated:
        return None
    if user.role == Role.ADMIN:
        return Part.TRAINER  # admins manage every cohort
    facts = services.part_facts(round_, user.id)
    if user.role == Role.TRAINER and facts.trains:
        return Part.TRAINER
    if user.id == round_.player_id:
        # A trainee-actor sees a brief only while booked for the session; a learner only while in the group.
        if user.role == Role.ACTOR:
            return Part.PLAYER if facts.booked else None
        return Part.PLAYER if facts.member else None
    if not facts.member:
        return None
    if user.id == round_.professional_id:
        return Part.PROFESSIONAL
    if facts.observes:
        return Part.OBSERVER
    return None


def _part(user, seat: Seat | RolePlayRound) -> Part | None:
    if isinstance(seat, Seat):
        return seat.part if seat.user_id == user.id else part_in_round(user, seat.round)
    return part_in_round(user, seat)


@rule("round.view")
def view_round(user, seat) -> bool:
    """The cohort's trainers and admins, the professional and the observers while in the group, and who plays the
    young person: a trainee-actor while booked for the session, a learner while in the group."""
    return _part(user, seat) is not None


@rule("round.score")
def score_round(user, seat) -> bool:
    """The trainer, the observers and the professional (who scores themself); not the player."""
    return _part(user, seat) in VIEW_OF_PART


@rule("round.release")
def release_round(user, seat) -> bool:
    """Only the trainer gives the verdict and releases the debrief."""
    return _part(user, seat) == Part.TRAINER


@rule("round.debrief")
def see_debrief(user, seat) -> bool:
    """The trainer; the professional once the round is released. Nothing of the assessment is visible to the
    learner before."""
    part = _part(user, seat)
    round_ = seat.round if isinstance(seat, Seat) else seat
    return part == Part.TRAINER or (part == Part.PROFESSIONAL and round_.released_at is not None)


def note_kinds(user, seat) -> set[str]:
    """The notes this person writes about the round: the player's feedback from the young person's side, the
    professional's self-reflection, and a trainee-actor's aftercare (how playing it felt)."""
    part = _part(user, seat)
    kinds = {NOTE_OF_PART[part]} if part in NOTE_OF_PART else set()
    if part == Part.PLAYER and user.role == Role.ACTOR:
        kinds.add("aftercare")
    return kinds


# Loaders ----------------------------------------------------------------------------------------------------

def round_or_404(round_id) -> Seat:
    """The round (404) and the current user's part in it (403 when they have none): two queries."""
    round_ = services.round_or_none(round_id)
    if round_ is None:
        abort(404)
    seat = Seat(round_, current_user.id, part_in_round(current_user, round_))
    require(view_round, seat)
    return seat
