"""The data export for everyone who is logged in (the erasure of an account is an admin page: jimtraining/admin/)."""

import json
import logging

from flask import Blueprint, Response
from flask_login import current_user, login_required

from jimtraining.privacy import services
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
