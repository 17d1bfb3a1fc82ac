"""Live role-play in a cohort session: booking trainee-actors, rounds, scoring, feedback, debrief and release.

Who may see and do what in a round is decided in jimtraining/access/roleplay.py; `part_facts` is the one query
it needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from jimtraining.accounts.models import User
from jimtraining.certification.services import audit
from jimtraining.cohorts.models import CohortSession, Enrollment, cohort_trainer
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.roleplay.models import ActorBooking, ActorProfile, RolePlayRound, RoundNote, RoundScore, round_observer
from jimtraining.roles import Role
from jimtraining.scenarios.rubric import cutoff_of
from jimtraining.scenarios.services import active_scenarios
from jimtraining.scenarios.verdict import Proposal, VerdictError, deviation_reason, propose
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_TEXT = 5000
#: The two verdicts of a round, by whether it is sufficient.
OUTCOMES = {True: "sufficient", False: "not_yet"}


class RoundError(Exception):
    """A role-play action that cannot be done; the message is shown to the person."""


def is_booked(session, user) -> bool:
    return db.session.scalar(select(ActorBooking.id).where(ActorBooking.session_id == session.id,
                                                           ActorBooking.actor_id == user.id)) is not None


def book_actor(session, actor: User) -> None:
    if actor.role != Role.ACTOR or not actor.is_enabled:
        raise RoundError(_("Alleen trainingsacteurs kunnen geboekt worden."))
    try:
        with db.session.begin_nested():
            db.session.add(ActorBooking(session_id=session.id, actor_id=actor.id))
    except IntegrityError:
        pass  # already booked
    db.session.commit()
    log.info("session %s: actor %s booked", session.id, actor.id)


_SESSION_ID, _USER_ID = bindparam("session_id"), bindparam("user_id")
#: What decides a person's part in a round, in one query: trains the cohort, is an active member of it, is booked
#: as trainee-actor for the session, observes the round (the same rules as Cohort.can_manage and is_member).
_PART_FACTS = select(
    select(cohort_trainer.c.user_id).join(CohortSession, CohortSession.cohort_id == cohort_trainer.c.cohort_id)
    .where(CohortSession.id == _SESSION_ID, cohort_trainer.c.user_id == _USER_ID).exists(),
    select(Enrollment.id).join(CohortSession, CohortSession.cohort_id == Enrollment.cohort_id)
    .where(CohortSession.id == _SESSION_ID, Enrollment.user_id == _USER_ID, Enrollment.removed_at.is_(None)).exists(),
    select(ActorBooking.id).where(ActorBooking.session_id == _SESSION_ID, ActorBooking.actor_id == _USER_ID).exists(),
    select(round_observer.c.user_id)
    .where(round_observer.c.round_id == bindparam("round_id"), round_observer.c.user_id == _USER_ID).exists(),
)


class PartFacts(NamedTuple):
    """What the access rules need to know about a person and a round (jimtraining/access/roleplay.py)."""

    trains: bool  # trains the round's cohort
    member: bool  # an active member of that cohort
    booked: bool  # booked as trainee-actor for the round's session
    observes: bool  # one of the round's observers


def part_facts(round_: RolePlayRound, user_id: int) -> PartFacts:
    """The facts about a person and a round, in one query."""
    return PartFacts(*db.session.execute(
        _PART_FACTS, {"session_id": round_.session_id, "user_id": user_id, "round_id": round_.id}).one())


#: A round without the people it names: scoring and notes need none of them, and loading them (each with their
#: organisation) cost more than the rest of a scoring request. The round page loads the two names it shows.
_ROUND = (select(RolePlayRound).where(RolePlayRound.id == bindparam("round_id"))
          .options(lazyload(RolePlayRound.professional), lazyload(RolePlayRound.player),
                   lazyload(RolePlayRound.observers)))


def round_or_none(round_id: int) -> RolePlayRound | None:
    """The round, without loading the people it names."""
    return db.session.execute(_ROUND, {"round_id": round_id}).scalar_one_or_none()


def create_round(session, scenario, professional: User, player: User, observers: list[User],
                 timer_minutes: int) -> RolePlayRound:
    """Check the people and create the round."""
    cohort = session.cohort
    if not cohort.is_member(professional):
        raise RoundError(_("De professional moet deelnemer van deze groep zijn."))
    if player.id == professional.id:
        raise RoundError(_("De professional kan niet ook de jongere spelen."))
    if player.role == Role.ACTOR:
        if not is_booked(session, player):
            raise RoundError(_("Boek de trainingsacteur eerst voor deze bijeenkomst."))
    elif not cohort.is_member(player):
        raise RoundError(_("Wie de jongere speelt, is een geboekte trainingsacteur of een deelnemer van de groep."))
    observers = [o for o in observers if o.id not in (professional.id, player.id)]
    if any(not cohort.is_member(o) for o in observers):
        raise RoundError(_("Observatoren zijn deelnemers van deze groep."))
    round_ = RolePlayRound(session_id=session.id, scenario_slug=scenario.slug, professional_id=professional.id,
                           player_id=player.id, timer_minutes=timer_minutes)
    round_.observers = observers
    db.session.add(round_)
    db.session.commit()
    log.info("round %s created in session %s (%s)", round_.id, session.id, scenario.slug)
    return round_


def save_scores(round_: RolePlayRound, rater: User, view: str, rubric: list[dict], form) -> list[str]:
    """Store level (1-4) and comment per criterion from a form (level-<id>, comment-<id>); returns errors.

    Scoring goes criterion by criterion during the round: a criterion with neither a level nor a comment is left
    as it is, so a rater can save the first criteria before the last ones. Nothing is saved while any error
    remains (a comment without a level, a level that does not exist, a comment that is too long)."""
    errors, values = [], {}
    for criterion in rubric:
        raw = form.get(f"level-{criterion['id']}", "")
        comment = (form.get(f"comment-{criterion['id']}", "") or "").strip()
        if not raw and not comment:
            continue
        if raw not in ("1", "2", "3", "4"):
            errors.append(_("Kies een niveau bij '%(criterion)s'.", criterion=criterion["criterion"]))
            continue
        if len(comment) > MAX_TEXT:
            errors.append(_("De opmerking bij '%(criterion)s' is te lang.", criterion=criterion["criterion"]))
            continue
        values[criterion["id"]] = (int(raw), comment)
    if not errors and not values:
        errors.append(_("Kies bij minstens één onderdeel een niveau."))
    if errors:
        return errors
    existing = {s.criterion_id: s for s in round_.scores if s.rater_id == rater.id}
    try:
        for criterion_id, (level, comment) in values.items():
            score = existing.get(criterion_id)
            if score is None:
                db.session.add(RoundScore(round_id=round_.id, rater_id=rater.id, view=view,
                                          criterion_id=criterion_id, level=level, comment=comment))
            else:
                score.level, score.comment, score.scored_at = level, comment, utcnow()
        db.session.commit()
    except IntegrityError:
        # A double click saved the same scores a moment earlier.
        db.session.rollback()
        return [_("Je scores waren net al opgeslagen. Kijk ze na en sla opnieuw op als je iets wilt wijzigen.")]
    return []


def save_note(round_: RolePlayRound, author: User, kind: str, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise RoundError(_("Schrijf eerst iets."))
    if len(text) > MAX_TEXT:
        raise RoundError(_("De tekst is te lang (hoogstens %(n)s tekens).", n=MAX_TEXT))
    note = next((n for n in round_.notes if n.author_id == author.id and n.kind == kind), None)
    if note is None:
        db.session.add(RoundNote(round_id=round_.id, author_id=author.id, kind=kind, text=text))
    else:
        note.text, note.written_at = text, utcnow()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise RoundError(_("Je tekst was net al opgeslagen. Laad de pagina opnieuw.")) from None


def trainer_levels(round_: RolePlayRound) -> dict[str, int]:
    """The trainer's level per criterion; with more trainers, the lowest of their levels."""
    levels: dict[str, int] = {}
    for score in round_.scores:
        if score.view == "trainer":
            levels[score.criterion_id] = min(score.level, levels.get(score.criterion_id, score.level))
    return levels


def proposal(round_: RolePlayRound, data: dict) -> Proposal:
    """The verdict the scenario's cut-off proposes from the trainer's scores, with its reasons."""
    return propose(data.get("rubric") or [], cutoff_of(data), trainer_levels(round_))


def release(round_: RolePlayRound, outcome: str, by: User, data: dict, reason: str = "") -> None:
    """The trainer's verdict; from now on the professional sees the debrief. A verdict other than the one the
    rubric's cut-off proposes needs a reason, which is kept on the round and written to the audit log."""
    if outcome not in OUTCOMES.values():
        raise RoundError(_("Kies 'voldoende' of 'nog niet voldoende'."))
    proposed = proposal(round_, data)
    try:
        kept = deviation_reason(proposed, outcome == "sufficient", reason)
    except VerdictError as error:
        raise RoundError(str(error)) from None
    round_.outcome = outcome
    round_.proposed_outcome = None if proposed.sufficient is None else OUTCOMES[proposed.sufficient]
    round_.outcome_reason = kept
    round_.released_at = round_.released_at or utcnow()
    if kept is not None:
        audit("round.deviated", by, db.session.get(User, round_.professional_id), "round", round_.id, kept,
              scenario=round_.scenario_slug, outcome=outcome, proposed=round_.proposed_outcome)
    db.session.commit()
    log.info("round %s released: %s (proposed %s)", round_.id, outcome, round_.proposed_outcome)


@dataclass
class CriterionView:
    criterion: dict
    trainer: float | None = None
    peer: float | None = None
    self: int | None = None
    comments: list[tuple[str, str]] = field(default_factory=list)  # (view, comment)


def debrief(round_: RolePlayRound, rubric: list[dict]) -> list[CriterionView]:
    """Per criterion the trainer's level (average of the trainers), the observers' average and the self-score."""
    views = []
    for criterion in rubric:
        scores = [s for s in round_.scores if s.criterion_id == criterion["id"]]
        trainer = [s.level for s in scores if s.view == "trainer"]
        peer = [s.level for s in scores if s.view == "peer"]
        own = [s.level for s in scores if s.view == "self"]
        views.append(CriterionView(
            criterion=criterion,
            trainer=round(sum(trainer) / len(trainer), 2) if trainer else None,
            peer=round(sum(peer) / len(peer), 2) if peer else None,
            self=own[0] if own else None,
            comments=[(s.view, s.comment) for s in scores if s.comment],
        ))
    return views


def note(round_: RolePlayRound, kind: str) -> str | None:
    return next((n.text for n in round_.notes if n.kind == kind), None)


# People and sessions ----------------------------------------------------------------------------------------

def person(user_id: int) -> User | None:
    """Someone named in a form (an actor to book, a professional, a player); None when there is no such account."""
    return db.session.get(User, user_id) if user_id else None


def people(user_ids: list[int]) -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_(user_ids)))) if user_ids else []


def session_rounds(session_id: int) -> list[RolePlayRound]:
    """The rounds of a cohort session, oldest first (for the session page)."""
    return list(db.session.scalars(select(RolePlayRound).where(RolePlayRound.session_id == session_id)
                                   .order_by(RolePlayRound.created_at)))


def rounds_of(session_id: int, user_id: int) -> list[RolePlayRound]:
    """For a learner's session page: the session's rounds in which this person plays or observes."""
    return [r for r in session_rounds(session_id)
            if user_id in (r.professional_id, r.player_id) or any(o.id == user_id for o in r.observers)]


def session_roleplay(session_id: int) -> dict:
    """What the trainer's session page shows of role-play: its rounds, the trainee-actors who can be booked, who is
    booked, and the scenarios to play. A fixed number of queries."""
    return {
        "rounds": session_rounds(session_id),
        "actors": list(db.session.scalars(select(User).where(User.role == Role.ACTOR, User.is_enabled.is_(True))
                                          .order_by(User.name))),
        "booked": set(db.session.scalars(select(ActorBooking.actor_id).where(ActorBooking.session_id == session_id))),
        "scenarios": active_scenarios(),
        # Rounds are shown by their scenario's title, never its slug; one of an archived scenario has none here.
        "scenario_titles": {s.slug: s.title for s in catalogue().scenarios.values()},
    }


# Trainee-actors ---------------------------------------------------------------------------------------------

def actor_profile(user_id: int) -> ActorProfile | None:
    return db.session.scalar(select(ActorProfile).where(ActorProfile.user_id == user_id))


def save_actor_profile(user_id: int, availability: str, rehearsed: list[str]) -> None:
    """Store when the actor can play and which of the active scenarios they rehearsed (unknown slugs left out)."""
    profile = actor_profile(user_id)
    known = {s.slug for s in active_scenarios()}
    if profile is None:
        profile = ActorProfile(user_id=user_id)
        db.session.add(profile)
    profile.availability, profile.rehearsed = availability, [slug for slug in rehearsed if slug in known]
    db.session.commit()
