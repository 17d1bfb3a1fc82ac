"""The data export for everyone who is logged in, and the erasure of an account for admins."""

import json
import logging

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from jimtraining.access import admin_required
from jimtraining.accounts.models import User
from jimtraining.extensions import db
from jimtraining.privacy import services
from jimtraining.privacy.forms import EraseForm
from jimtraining.timeutil import local_date, utcnow

log = logging.getLogger(__name__)

bp = Blueprint("privacy", __name__)
bp.add_app_template_global(services.is_erased, "is_erased_account")


@bp.get("/profile/export.json")
@login_required
def export_json():
    user = current_user._get_current_object()
    now = utcnow()
    body = json.dumps(services.export_user_data(user, now=now), ensure_ascii=False, indent=2, default=str)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="jim-training-mijn-gegevens-{local_date(now).isoformat()}.json"')
    response.headers["Cache-Control"] = "no-store"
    log.info("privacy: data export downloaded by user %s", user.id)
    return response


def _forbidden(message: str):
    return render_template("errors/error.html", code=403, title=_("Geen toegang"), message=message), 403


def _erase_page(user, form, status=200):
    return render_template("privacy/erase.html", user=user, form=form, preview=services.erasure_preview(user),
                           erased=services.is_erased(user)), status


# GET and POST are two rules on purpose: the page only shows, the POST erases (no state change on a GET rule).
@bp.get("/admin/users/<id:user_id>/erase")
@admin_required
def erase_confirm(user_id):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return _forbidden(_("Je kunt je eigen account niet verwijderen. Vraag een andere beheerder."))
    return _erase_page(user, EraseForm(user=user))


@bp.post("/admin/users/<id:user_id>/erase")
@admin_required
def erase(user_id):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return _forbidden(_("Je kunt je eigen account niet verwijderen. Vraag een andere beheerder."))
    if services.is_erased(user):
        flash(_("Dit account is al verwijderd."), "info")
        return redirect(url_for("accounts.admin_user_edit", user_id=user.id))
    form = EraseForm(user=user)
    if not form.validate_on_submit():
        return _erase_page(user, form, 400)
    try:
        services.erase_user(user, by=current_user._get_current_object(), reason=form.reason.data)
    except services.PrivacyError as error:
        flash(str(error), "error")
        return _erase_page(user, form, 400)
    flash(_("Het account is verwijderd: de persoonsgegevens zijn gewist of geanonimiseerd."), "success")
    return redirect(url_for("accounts.admin_users"))
