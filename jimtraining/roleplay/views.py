"""Live role-play pages. Each person gets only what their part in the round may see (jimtraining/access/roleplay.py)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import can, require, roles_required
from jimtraining.access.cohorts import cohort_session_or_404
from jimtraining.access.roleplay import NOTE_OF_PART, VIEW_OF_PART, note_kinds, round_or_404
from jimtraining.accounts.forms import ConfirmForm
from jimtraining.content.catalogue import catalogue
from jimtraining.progress.homes import actor_bookings
from jimtraining.rendering import render_markdown
from jimtraining.roleplay import forms, services
from jimtraining.roleplay.models import Part
from jimtraining.roleplay.services import RoundError
from jimtraining.roles import Role
from jimtraining.scenarios.services import active_scenarios, get_scenario_or_none

bp = Blueprint("roleplay", __name__)


def _scenario_of(round_):
    """The round's scenario, read from the process's catalogue; 404 when it is gone."""
    scenario = catalogue().scenario(round_.scenario_slug)
    if scenario is None:
        abort(404)
    return scenario


def played_role(scenario) -> dict:
    """The role the player takes: the young person, or else the first role for an actor."""
    roles = scenario.data["roles"]
    return next((r for r in roles if r["kind"] == "young_person" and r["played_by"] == "actor"),
                next((r for r in roles if r["played_by"] == "actor"), roles[0]))


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/actors",
          methods=["POST"])
@login_required
def book(cohort_id, session_id):
    cohort, session = cohort_session_or_404(cohort_id, session_id)
    actor = services.person(forms.form_id(request.form.get("actor_id")))
    try:
        if actor is None:
            raise RoundError(_("Kies een trainingsacteur."))
        services.book_actor(session, actor)
    except RoundError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is geboekt voor deze bijeenkomst.", name=actor.name), "success")
    return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))


@bp.route("/cohorts/<id:cohort_id>/sessions/<id:session_id>/rounds",
          methods=["POST"])
@login_required
def create(cohort_id, session_id):
    cohort, session = cohort_session_or_404(cohort_id, session_id)
    scenario = get_scenario_or_none(request.form.get("scenario", ""))
    professional = services.person(forms.form_id(request.form.get("professional_id")))
    player = services.person(forms.form_id(request.form.get("player_id")))
    observers = services.people(forms.observer_ids(request.form.getlist("observer_ids")))
    timer = forms.timer_minutes(request.form.get("timer"))
    try:
        if scenario is None or professional is None or player is None:
            raise RoundError(_("Kies een scenario, wie de professional speelt en wie de jongere speelt."))
        if not 1 <= timer <= 60:
            raise RoundError(_("Een ronde duurt 1 tot 60 minuten."))
        round_ = services.create_round(session, scenario, professional, player, observers, timer)
    except RoundError as error:
        flash(str(error), "error")
        return redirect(url_for("cohorts.session", cohort_id=cohort.id, session_id=session.id))
    return redirect(url_for("roleplay.round", round_id=round_.id))


def _verdict(seat, data: dict, page: str, outcome: str | None = None, reason: str | None = None,
             error: str | None = None) -> dict:
    """What the verdict part of a page (roleplay/_verdict.html) shows to the trainer: the cut-off's proposal and
    its reasons, and the form with what was chosen and written (kept after a refusal)."""
    if not can("round.release", seat):
        return {"verdict": None}
    round_ = seat.round
    return {"verdict": {"proposal": services.proposal(round_, data), "page": page,
                        "outcome": round_.outcome if outcome is None else outcome,
                        "reason": (round_.outcome_reason or "") if reason is None else reason, "error": error}}


@bp.route("/rounds/<id:round_id>")
@login_required
def round(round_id):  # noqa: A001 - the page of a round
    return _round_page(round_or_404(round_id))


class _Posted:
    """A score as typed in a refused form, shown again so nothing is lost."""

    def __init__(self, level: str, comment: str):
        self.level = int(level) if level in ("1", "2", "3", "4") else None
        self.comment = comment


def _round_page(seat, posted=None, errors=(), status: int = 200, **verdict):
    """The round page, rubric first: who scores sees the criteria at the top and the situation and briefs folded
    away; after a refused save the typed scores come back (`posted`, the form) with the `errors`."""
    round_, part, scenario = seat.round, seat.part, _scenario_of(seat.round)
    data = scenario.data
    mine = {s.criterion_id: s for s in round_.scores if s.rater_id == current_user.id}
    if posted is not None:
        mine = {c["id"]: _Posted(posted.get(f"level-{c['id']}", ""), posted.get(f"comment-{c['id']}", ""))
                for c in data["rubric"]}
    context = {
        "seat": seat, "round": round_, "part": part, "scenario": scenario, "rubric": data["rubric"],
        "situation": render_markdown(data["situation"]), "note_kinds": note_kinds(current_user, seat),
        "form": ConfirmForm(), "mine": mine, "errors": errors, "cohort_session": round_.session,
        "my_note": next((n.text for n in round_.notes if n.author_id == current_user.id
                         and n.kind == NOTE_OF_PART.get(part)), ""),
        "aftercare": next((n.text for n in round_.notes if n.author_id == current_user.id
                           and n.kind == "aftercare"), ""),
    }
    if part == Part.PLAYER:
        # Only the part they play: the actor brief of that role.
        context["brief_role"] = played_role(scenario)
    else:
        # Everyone else sees the trainee briefs; only the trainer also sees the actor briefs.
        context["roles"] = [{k: v for k, v in r.items() if k != "actor_brief" or part == Part.TRAINER}
                            for r in data["roles"]]
    context.update(_verdict(seat, data, "round", **verdict))
    return render_template("roleplay/round.html", **context), status


def _next_place(rubric, form) -> str:
    """Where the page opens after saving: the criterion after the one whose own button was used; after the button
    in the bar, the first criterion still without a level, or the end of the scores when all have one."""
    ids = [c["id"] for c in rubric]
    saved_from = form.get("saved_from", "")
    if saved_from in ids:
        following = ids[ids.index(saved_from) + 1:]
        return f"criterium-{following[0]}" if following else "scores-klaar"
    open_ = next((i for i in ids if not form.get(f"level-{i}")), None)
    return f"criterium-{open_}" if open_ else "scores-klaar"


@bp.route("/rounds/<id:round_id>/scores", methods=["POST"])
@login_required
def scores(round_id):
    seat = round_or_404(round_id)
    round_, scenario = seat.round, _scenario_of(seat.round)
    require("round.score", seat)
    if round_.released_at is not None and seat.part != Part.TRAINER:
        flash(_("De ronde is al afgerond; scores zijn niet meer te wijzigen."), "error")
        return redirect(url_for("roleplay.round", round_id=round_id))
    rubric = scenario.data["rubric"]
    errors = services.save_scores(round_, current_user, VIEW_OF_PART[seat.part], rubric, request.form)
    if errors:
        return _round_page(seat, posted=request.form, errors=errors, status=422)
    flash(_("Je scores zijn opgeslagen."), "success")
    return redirect(url_for("roleplay.round", round_id=round_id,
                            _anchor=_next_place(rubric, request.form)))


@bp.route("/rounds/<id:round_id>/notes", methods=["POST"])
@login_required
def notes(round_id):
    seat = round_or_404(round_id)
    _scenario_of(seat.round)
    kind = request.form.get("kind", "")
    if kind not in note_kinds(current_user, seat):
        abort(403)
    try:
        services.save_note(seat.round, current_user, kind, request.form.get("text", ""))
    except RoundError as error:
        flash(str(error), "error")
    else:
        flash(_("Opgeslagen."), "success")
    return redirect(url_for("roleplay.round", round_id=round_id))


@bp.route("/rounds/<id:round_id>/release", methods=["POST"])
@login_required
def release(round_id):
    seat = round_or_404(round_id)
    scenario = _scenario_of(seat.round)
    require("round.release", seat)
    outcome = request.form.get("outcome", "")
    reason = forms.reason(request.form.get("reason"))
    page = "round" if request.form.get("page") == "round" else "debrief"
    try:
        services.release(seat.round, outcome, current_user, scenario.data, reason)
    except RoundError as error:
        # Nothing is recorded; the page comes back with the choice and the reason as they were.
        flash(str(error), "error")
        kept = {"outcome": outcome, "reason": reason, "error": str(error)}
        if page == "round":
            return _round_page(seat, status=400, **kept)
        return _debrief_page(seat, scenario, 400, **kept)
    flash(_("De uitslag is vrijgegeven aan de deelnemer."), "success")
    return redirect(url_for(f"roleplay.{page}", round_id=round_id))


def _debrief_page(seat, scenario, status: int = 200, **verdict):
    round_ = seat.round
    return render_template(
        "roleplay/debrief.html", seat=seat, round=round_, scenario=scenario, score_text=score_text,
        cohort_session=round_.session if seat.part == Part.TRAINER else None,
        criteria=services.debrief(round_, scenario.data["rubric"]), debrief=scenario.data["debrief"],
        actor_feedback=services.note(round_, "actor_feedback"), reflection=services.note(round_, "self_reflection"),
        aftercare=services.note(round_, "aftercare") if seat.part == Part.TRAINER else None, form=ConfirmForm(),
        **_verdict(seat, scenario.data, "debrief", **verdict)), status


def score_text(level, criterion) -> str:
    """A level with its scale, in the language of the page: "3 van 4", an average as "2,5 van 4"; "–" for none."""
    if level is None:
        return "–"
    return _("%(level)s van %(scale)s", level=format_decimal(round_to_tenth(level), format="#,##0.#"),
             scale=format_decimal(len(criterion.get("levels") or ()) or 4))


def round_to_tenth(value) -> float:
    return float(f"{value:.1f}")


@bp.route("/rounds/<id:round_id>/debrief")
@login_required
def debrief(round_id):
    seat = round_or_404(round_id)
    scenario = _scenario_of(seat.round)
    require("round.debrief", seat)  # nothing of the assessment is visible to the learner before release
    return _debrief_page(seat, scenario)


@bp.route("/actor/", methods=["GET", "POST"])
@roles_required(Role.ACTOR)
def actor_home():
    if request.method == "POST":
        services.save_actor_profile(current_user.id, forms.availability(request.form.get("availability")),
                                    request.form.getlist("rehearsed"))
        flash(_("Je profiel is opgeslagen."), "success")
        return redirect(url_for("roleplay.actor_home"))
    coming, past = actor_bookings(current_user.id)
    return render_template("roleplay/actor.html", profile=services.actor_profile(current_user.id), coming=coming,
                           past=past, scenarios=active_scenarios(), form=ConfirmForm())
