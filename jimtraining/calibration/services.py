"""Calibration writes and reads: the reference rounds on offer, scoring one, a person's results, the programme
office's overview, and the checks that the JIM-trainer track and a licence renewal make."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.accounts.models import User
from jimtraining.calibration.agreement import Agreement, agreement
from jimtraining.calibration.models import CalibrationAttempt
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.scenarios.reference import expert_levels
from jimtraining.scenarios.rubric import HIGHEST_LEVEL, LOWEST_LEVEL
from jimtraining.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

#: The same reference round counts once in this period: after seeing the expert's scores, scoring it again would
#: measure memory, not calibration. After a year it may be scored again (a renewal needs a calibration that recent).
SCORE_AGAIN_AFTER = timedelta(days=365)
#: A licence renewal needs a calibration from within this period.
RENEWAL_CALIBRATION = timedelta(days=365)


class CalibrationError(Exception):
    """A calibration that cannot be saved; the message is shown to the person."""


@dataclass(frozen=True)
class ReferenceRound:
    """A scenario's reference round, as the scoring page needs it (never the expert's scores before scoring)."""

    slug: str
    scenario_title: str
    title: str
    transcript: str
    #: The scenario's rubric criteria: id, criterion, competence_name, levels.
    rubric: list


def _scenario_with_reference(slug: str):
    """The catalogue's copy of an active scenario that has a reference round, or None (no query but the content
    token: scenarios come from the content catalogue)."""
    scenario = catalogue().scenario(slug)
    if scenario is None or scenario.archived or not isinstance(scenario.data.get("reference_round"), dict):
        return None
    return scenario


def reference_rounds() -> list[ReferenceRound]:
    """Every active scenario that has a reference round, by scenario title."""
    found = [_scenario_with_reference(slug) for slug in catalogue().scenarios]
    return [_reference(scenario) for scenario in sorted((s for s in found if s is not None), key=lambda s: s.title)]


def reference_round(slug: str) -> ReferenceRound | None:
    scenario = _scenario_with_reference(slug)
    return _reference(scenario) if scenario is not None else None


def _reference(scenario) -> ReferenceRound:
    reference = scenario.data["reference_round"]
    return ReferenceRound(slug=scenario.slug, scenario_title=scenario.title, title=reference["title"],
                          transcript=reference["transcript"], rubric=scenario.data["rubric"])


def expert_of(slug: str) -> dict | None:
    """The expert's scores with reasons ({criterion: {level, reason}}) of a scenario's reference round."""
    scenario = _scenario_with_reference(slug)
    return scenario.data["reference_round"]["scores"] if scenario is not None else None


def attempts_of(user_id: int) -> list[CalibrationAttempt]:
    """Someone's calibrations, newest first."""
    return list(db.session.scalars(select(CalibrationAttempt).where(CalibrationAttempt.user_id == user_id)
                                   .order_by(CalibrationAttempt.created_at.desc(), CalibrationAttempt.id.desc())))


def attempt_agreement(attempt: CalibrationAttempt) -> Agreement:
    """The agreement per criterion of a stored calibration (recomputed from its copies: the same figures)."""
    return agreement(attempt.scores, attempt.expert)


def recent_attempt(user_id: int, slug: str, now=None) -> CalibrationAttempt | None:
    """The person's calibration of this reference round within SCORE_AGAIN_AFTER, or None."""
    now = now or utcnow()
    return db.session.scalar(select(CalibrationAttempt).where(
        CalibrationAttempt.user_id == user_id, CalibrationAttempt.scenario_slug == slug,
        CalibrationAttempt.created_at > now - SCORE_AGAIN_AFTER).order_by(CalibrationAttempt.created_at.desc())
        .limit(1))


def score(user: User, slug: str, levels: dict, now=None) -> CalibrationAttempt:
    """Save a person's scores for a reference round with their agreement with the expert (and log it).

    Every criterion of the rubric needs a level from 1 to 4. A round the person scored within the last year is
    refused: they have seen the expert's scores."""
    now = now or utcnow()
    scenario = _scenario_with_reference(slug)
    if scenario is None:
        raise CalibrationError(_("Deze referentieronde bestaat niet (meer)."))
    if recent_attempt(user.id, slug, now) is not None:
        raise CalibrationError(_("Je hebt deze ronde het afgelopen jaar al gescoord. Kies een andere ronde."))
    expert = expert_levels(scenario.data["reference_round"])
    chosen = {}
    for criterion in expert:
        level = levels.get(criterion)
        if isinstance(level, bool) or not isinstance(level, int) or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
            raise CalibrationError(_("Kies voor elk criterium een niveau van 1 tot 4."))
        chosen[criterion] = level
    result = agreement(chosen, expert)
    attempt = CalibrationAttempt(user_id=user.id, scenario_slug=slug, created_at=now, scores=chosen, expert=expert,
                                 exact=result.exact, adjacent=result.adjacent, kappa=result.kappa)
    db.session.add(attempt)
    db.session.commit()
    log.info("calibration %s: user=%s scenario=%s kappa=%s", attempt.id, user.id, slug, result.kappa)
    return attempt


def calibrated_since(user_id: int, since) -> CalibrationAttempt | None:
    """The person's newest calibration after `since`, or None."""
    return db.session.scalar(select(CalibrationAttempt).where(CalibrationAttempt.user_id == user_id,
                                                              CalibrationAttempt.created_at > since)
                             .order_by(CalibrationAttempt.created_at.desc()).limit(1))


def renewal_calibration(user_id: int, now=None) -> CalibrationAttempt | None:
    """The calibration that allows a licence renewal: the newest within RENEWAL_CALIBRATION, or None."""
    return calibrated_since(user_id, (now or utcnow()) - RENEWAL_CALIBRATION)


def calibrations_of(user_ids: list[int]) -> dict[int, list[tuple]]:
    """(created_at, kappa, exact) of every calibration of these people, oldest first: one query."""
    found: dict[int, list[tuple]] = {}
    if not user_ids:
        return found
    for user_id, created_at, kappa, exact in db.session.execute(
            select(CalibrationAttempt.user_id, CalibrationAttempt.created_at, CalibrationAttempt.kappa,
                   CalibrationAttempt.exact).where(CalibrationAttempt.user_id.in_(user_ids))
            .order_by(CalibrationAttempt.created_at)):
        found.setdefault(user_id, []).append((as_utc(created_at), kappa, exact))
    return found


def overview() -> list[tuple[User, list[CalibrationAttempt]]]:
    """Everyone who calibrated, by name, with their calibrations oldest first (for the programme office): one
    query."""
    people: dict[int, tuple[User, list[CalibrationAttempt]]] = {}
    for attempt in db.session.scalars(select(CalibrationAttempt).join(CalibrationAttempt.user)
                                      .options(db.contains_eager(CalibrationAttempt.user))
                                      .order_by(User.name, User.id, CalibrationAttempt.created_at)):
        people.setdefault(attempt.user_id, (attempt.user, []))[1].append(attempt)
    return list(people.values())


def threshold() -> dict | None:
    """The calibration requirement of the tracks for future JIM-trainers ({"min_kappa", "guidance"}; the highest
    when there are several), or None when no track asks for one. From the content catalogue: no query."""
    rules = [track.requirements["calibration"] for track in catalogue().tracks.values()
             if not track.archived and (track.requirements or {}).get("calibration")]
    return max(rules, key=lambda rule: rule["min_kappa"]) if rules else None
