"""Live role-play pages. Each person gets only what their part in the round may see."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload

from jimtraining.access.cohorts import cohort_session_or_404
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.accounts.models import User
from jimtraining.curriculum.catalogue import catalogue
from jimtraining.extensions import db
from jimtraining.permissions import roles_required
from jimtraining.rendering import render_markdown
from jimtraining.scenarios import live
from jimtraining.scenarios.live import RoundError
from jimtraining.scenarios.models import ActorBooking, ActorProfile, RolePlayRound, Scenario

bp = Blueprint("roleplay", __name__)

VIEW_OF_ROLE = {"trainer": "trainer", "observer": "peer", "professional": "self"}
NOTE_OF_ROLE = {"player": "actor_feedback", "professional": "self_reflection"}


MAX_ID = 2147483647


def _form_id(value) -> int:
    """A record id from a form field; 0 (which matches nothing) for anything else."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < len(value) <= 10 and int(value) <= MAX_ID:
        return int(value)
    return 0


def _managed_session(cohort_id, session_id):
    return cohort_session_or_404(cohort_id, session_id)


#: A round without the people it names: scoring and notes need none of them, and loading them (each with their
#: organisation) cost more than the rest of a scoring request. The round page loads the two names it shows.
_ROUND = (select(RolePlayRound).where(RolePlayRound.id == bindparam("round_id"))
          .options(lazyload(RolePlayRound.professional), lazyload(RolePlayRound.player),
                   lazyload(RolePlayRound.observers)))


def _round_or_404(round_id):
    """Load the round (404) and the current user's part in it (403 when they have none)."""
    round_ = db.session.execute(_ROUND, {"round_id": round_id}).scalar_one_or_none()
    if round_ is None:
        abort(404)
    role = live.role_in_round(current_user, round_)
    if role is None:
        abort(403)
    scenario = catalogue().scenario(round_.scenario_slug)  # content: read from the process's catalogue
    if scenario is None:
        abort(404)
    return round_, role, scenario


def played_role(scenario) -> dict:
    """The role the player takes: the young person, or else the first role for an actor."""
    roles = scenario.data["roles"]
    return next((r for r in roles if r["kind"] == "young_person" and r["played_by"] == "actor"),
                next((r for r in roles if r["played_by"] == "actor"), roles[0]))


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/actors",
          methods=["POST"])
@login_required
def book(cohort_id, session_id):
    cohort, session = _managed_session(cohort_id, session_id)
    actor = db.session.get(User, _form_id(request.form.get("actor_id")))
    try:
        if actor is None:
            raise RoundError(_("Kies een trainingsacteur."))
        live.book_actor(session, actor)
    except RoundError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is geboekt voor deze bijeenkomst.", name=actor.name), "success")
    return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/rounds",
          methods=["POST"])
@login_required
def create(cohort_id, session_id):
    cohort, session = _managed_session(cohort_id, session_id)
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == request.form.get("scenario", ""),
                                                        Scenario.archived.is_(False)))
    professional = db.session.get(User, _form_id(request.form.get("professional_id")))
    player = db.session.get(User, _form_id(request.form.get("player_id")))
    observer_ids = [i for i in (_form_id(v) for v in request.form.getlist("observer_ids")[:50]) if i]
    observers = list(db.session.scalars(select(User).where(User.id.in_(observer_ids)))) if observer_ids else []
    timer_text = (request.form.get("timer") or "10").strip()
    timer = int(timer_text) if timer_text.isascii() and timer_text.isdigit() and len(timer_text) <= 3 else 0
    try:
        if scenario is None or professional is None or player is None:
            raise RoundError(_("Kies een scenario, wie de professional speelt en wie de jongere speelt."))
        if not 1 <= timer <= 60:
            raise RoundError(_("Een ronde duurt 1 tot 60 minuten."))
        round_ = live.create_round(session, scenario, professional, player, observers, timer)
    except RoundError as error:
        flash(str(error), "error")
        return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    return redirect(url_for("roleplay.round", round_id=round_.id))


@bp.route("/rounds/<id:round_id>")
@login_required
def round(round_id):  # noqa: A001 - the page of a round
    round_, role, scenario = _round_or_404(round_id)
    data = scenario.data
    context = {
        "round": round_, "role": role, "scenario": scenario, "situation": render_markdown(data["situation"]),
        "rubric": data["rubric"], "form": ConfirmForm(),
        "mine": {s.criterion_id: s for s in round_.scores if s.rater_id == current_user.id},
        "my_note": next((n.text for n in round_.notes if n.author_id == current_user.id
                         and n.kind == NOTE_OF_ROLE.get(role)), ""),
        "aftercare": next((n.text for n in round_.notes if n.author_id == current_user.id
                           and n.kind == "aftercare"), ""),
    }
    if role == "player":
        # Only the part they play: the actor brief of that role.
        context["brief_role"] = played_role(scenario)
    else:
        # Everyone else sees the trainee briefs; only the trainer also sees the actor briefs.
        context["roles"] = [{k: v for k, v in r.items() if k != "actor_brief" or role == "trainer"}
                            for r in data["roles"]]
    return render_template("scenarios/round.html", **context)


@bp.route("/rounds/<id:round_id>/scores", methods=["POST"])
@login_required
def scores(round_id):
    round_, role, scenario = _round_or_404(round_id)
    if role not in VIEW_OF_ROLE:
        abort(403)
    if round_.released_at is not None and role != "trainer":
        flash(_("De ronde is al afgerond; scores zijn niet meer te wijzigen."), "error")
        return redirect(url_for("roleplay.round", round_id=round_id))
    errors = live.save_scores(round_, current_user, VIEW_OF_ROLE[role], scenario.data["rubric"], request.form)
    if errors:
        flash(" ".join(errors), "error")
    else:
        flash(_("Je scores zijn opgeslagen."), "success")
    return redirect(url_for("roleplay.round", round_id=round_id))


@bp.route("/rounds/<id:round_id>/notes", methods=["POST"])
@login_required
def notes(round_id):
    round_, role, scenario = _round_or_404(round_id)
    kind = request.form.get("kind", "")
    allowed = {NOTE_OF_ROLE.get(role)} | ({"aftercare"} if role == "player" and current_user.role == "actor"
                                          else set())
    if kind not in allowed - {None}:
        abort(403)
    try:
        live.save_note(round_, current_user, kind, request.form.get("text", ""))
    except RoundError as error:
        flash(str(error), "error")
    else:
        flash(_("Opgeslagen."), "success")
    return redirect(url_for("roleplay.round", round_id=round_.id))


@bp.route("/rounds/<id:round_id>/release", methods=["POST"])
@login_required
def release(round_id):
    round_, role, _scenario = _round_or_404(round_id)
    if role != "trainer":
        abort(403)
    try:
        live.release(round_, request.form.get("outcome", ""))
    except RoundError as error:
        flash(str(error), "error")
    else:
        flash(_("De uitslag is vrijgegeven aan de deelnemer."), "success")
    return redirect(url_for("roleplay.debrief", round_id=round_.id))


@bp.route("/rounds/<id:round_id>/debrief")
@login_required
def debrief(round_id):
    round_, role, scenario = _round_or_404(round_id)
    if role != "trainer" and not (role == "professional" and round_.released_at is not None):
        abort(403)  # nothing of the assessment is visible to the learner before release
    return render_template(
        "scenarios/debrief.html", round=round_, role=role, scenario=scenario,
        criteria=live.debrief(round_, scenario.data["rubric"]), debrief=scenario.data["debrief"],
        actor_feedback=live.note(round_, "actor_feedback"), reflection=live.note(round_, "self_reflection"),
        aftercare=live.note(round_, "aftercare") if role == "trainer" else None, form=ConfirmForm())


@bp.route("/actor/", methods=["GET", "POST"])
@roles_required("actor")
def actor_home():
    profile = db.session.scalar(select(ActorProfile).where(ActorProfile.user_id == current_user.id))
    if request.method == "POST":
        availability = (request.form.get("availability") or "").strip()[:2000]
        known = {s.slug for s in db.session.scalars(select(Scenario).where(Scenario.archived.is_(False)))}
        rehearsed = [slug for slug in request.form.getlist("rehearsed") if slug in known]
        if profile is None:
            profile = ActorProfile(user_id=current_user.id)
            db.session.add(profile)
        profile.availability, profile.rehearsed = availability, rehearsed
        db.session.commit()
        flash(_("Je profiel is opgeslagen."), "success")
        return redirect(url_for("roleplay.actor_home"))
    bookings = db.session.scalars(select(ActorBooking).where(ActorBooking.actor_id == current_user.id)
                                  .options(db.joinedload(ActorBooking.session))).all()
    rounds = db.session.scalars(select(RolePlayRound).where(RolePlayRound.player_id == current_user.id)
                                .order_by(RolePlayRound.created_at.desc())).all()
    booked = {b.session_id for b in bookings}
    return render_template("scenarios/actor.html", profile=profile, bookings=bookings,
                           rounds=[r for r in rounds if r.session_id in booked],
                           scenarios=db.session.scalars(select(Scenario).where(Scenario.archived.is_(False))
                                                        .order_by(Scenario.title)).all(), form=ConfirmForm())
