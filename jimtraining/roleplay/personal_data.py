"""Live role-play's part of a person's data export and of erasing an account: rounds, scores, notes, the actor
profile and bookings.

jimtraining/privacy/registry.py says which tables point at a person and what erasure does with each; this module
builds these tables' export sections and does what a registry link cannot say (docs/PRIVACY.md says why).
"""

from collections import Counter

from sqlalchemy import or_, select, update

from jimtraining.cohorts.models import Cohort, CohortSession
from jimtraining.exports.values import pick, value
from jimtraining.extensions import db
from jimtraining.roleplay.models import (
    ActorBooking,
    ActorProfile,
    RolePlayRound,
    RoundNote,
    RoundScore,
    round_observer,
)


def export_rounds(user) -> dict:
    """Every round the person was in. Of a round where they played the professional: the outcome, the scores and
    the actor's feedback, once the trainer released them (as on the debrief page). Of rounds where they played
    the young person or observed: only that they were there; someone else's assessment is not theirs."""
    observed = select(round_observer.c.round_id).where(round_observer.c.user_id == user.id)
    rounds = db.session.scalars(
        select(RolePlayRound).where(or_(RolePlayRound.professional_id == user.id, RolePlayRound.player_id == user.id,
                                        RolePlayRound.id.in_(observed)))
        .order_by(RolePlayRound.created_at, RolePlayRound.id).options(db.selectinload(RolePlayRound.session))).all()
    observer_of = set(db.session.scalars(observed))
    # The scores and notes of the released rounds where they were the professional: one query each, not per round.
    assessed = [r.id for r in rounds if r.professional_id == user.id and r.released_at is not None]
    scores_of: dict[int, list] = {round_id: [] for round_id in assessed}
    notes_of: dict[int, list] = {round_id: [] for round_id in assessed}
    if assessed:
        for score in db.session.scalars(select(RoundScore).where(RoundScore.round_id.in_(assessed))
                                        .order_by(RoundScore.id)):
            scores_of[score.round_id].append(score)
        for note in db.session.scalars(select(RoundNote).where(RoundNote.round_id.in_(assessed))
                                       .order_by(RoundNote.id)):
            notes_of[note.round_id].append(note)
    items = []
    for round_ in rounds:
        session = round_.session
        roles = [role for role, yes in (("professional", round_.professional_id == user.id),
                                        ("player", round_.player_id == user.id),
                                        ("observer", round_.id in observer_of)) if yes]
        item = {"scenario_slug": round_.scenario_slug, "session": session.title if session else None,
                "session_starts_at": value(session.starts_at) if session else None,
                "created_at": value(round_.created_at), "your_roles": roles}
        if "professional" in roles:
            released = round_.released_at is not None
            item["assessment_released"] = released
            if released:
                item.update(outcome=round_.outcome, released_at=value(round_.released_at),
                            proposed_outcome=round_.proposed_outcome, outcome_reason=round_.outcome_reason)
                item["scores_received"] = [pick(s, ("view", "criterion_id", "level", "comment", "scored_at"))
                                           for s in scores_of[round_.id] if s.rater_id != user.id]
                # The actor's aftercare note is about how playing felt for the actor: not about you.
                item["feedback_received"] = [pick(n, ("kind", "text", "written_at"))
                                             for n in notes_of[round_.id]
                                             if n.author_id != user.id and n.kind == "actor_feedback"]
        items.append(item)

    def given(model, who, names):
        rows = db.session.execute(select(model, RolePlayRound.scenario_slug, RolePlayRound.created_at)
                                  .join(RolePlayRound, RolePlayRound.id == model.round_id)
                                  .where(who == user.id).order_by(model.id)).all()
        return [{"scenario_slug": slug, "round_created_at": value(at), **pick(row, names)} for row, slug, at in rows]

    return {
        "role_play_rounds": items,
        "role_play_scores_given": given(RoundScore, RoundScore.rater_id,
                                        ("view", "criterion_id", "level", "comment", "scored_at")),
        "role_play_notes_written": given(RoundNote, RoundNote.author_id, ("kind", "text", "written_at")),
    }


def wipe_what_others_wrote_about(user_id: int) -> Counter:
    """On rounds where they played the professional: the actor's feedback goes and the raters' comments and the
    reason of a verdict that deviates from the proposal are wiped (all are about the person; the reason stays in
    the audit log); levels and the outcome stay, so the round still counts in the figures."""
    theirs = select(RolePlayRound.id).where(RolePlayRound.professional_id == user_id)
    notes, scores = RoundNote.__table__, RoundScore.__table__
    counts = Counter()
    result = db.session.execute(notes.delete().where(notes.c.round_id.in_(theirs), notes.c.kind == "actor_feedback"))
    counts["round_note.delete"] += max(result.rowcount or 0, 0)
    result = db.session.execute(update(scores).where(scores.c.round_id.in_(theirs), scores.c.comment != "")
                                .values(comment=""))
    counts["round_score.anonymise"] += max(result.rowcount or 0, 0)
    rounds = RolePlayRound.__table__
    db.session.execute(update(rounds).where(rounds.c.professional_id == user_id, rounds.c.outcome_reason.is_not(None))
                       .values(outcome_reason=None))
    return counts


def export_actor_profile(user) -> dict:
    profile = db.session.scalar(select(ActorProfile).where(ActorProfile.user_id == user.id))
    return {"actor_profile": pick(profile, ("availability", "rehearsed")) if profile else None}


def export_actor_bookings(user) -> dict:
    rows = db.session.execute(
        select(ActorBooking.booked_at, CohortSession.title, CohortSession.starts_at, Cohort.name)
        .join(CohortSession, CohortSession.id == ActorBooking.session_id)
        .join(Cohort, Cohort.id == CohortSession.cohort_id)
        .where(ActorBooking.actor_id == user.id).order_by(CohortSession.starts_at)).all()
    return {"actor_bookings": [{"cohort": cohort, "session": title, "session_starts_at": value(starts),
                                "booked_at": value(booked)} for booked, title, starts, cohort in rows]}
