"""Calibration for the programme office: how well each trainer and trainer candidate agreed with the expert on the
reference rounds, over time (issue 17 item 4)."""

from __future__ import annotations

from flask import render_template

from jimtraining.access import admin_required
from jimtraining.admin.blueprint import bp
from jimtraining.calibration import services
from jimtraining.content.catalogue import catalogue
from jimtraining.timeutil import as_utc, utcnow


@bp.route("/admin/calibration")
@admin_required
def calibration():
    now = utcnow()
    people = []
    for user, attempts in services.overview():
        newest = attempts[-1]
        people.append({"user": user, "attempts": attempts,
                       "renewal_ok": as_utc(newest.created_at) > now - services.RENEWAL_CALIBRATION})
    titles = {slug: scenario.title for slug, scenario in catalogue().scenarios.items()}
    return render_template("admin/calibration.html", people=people, titles=titles, threshold=services.threshold())
