"""Organisations, and the mail the platform sent (when it writes mail to its outbox instead of sending it)."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from jimtraining.access import admin_required
from jimtraining.admin.blueprint import bp
from jimtraining.admin.forms import OrganisationForm
from jimtraining.extensions import db
from jimtraining.mailing import outbox as sent_mails
from jimtraining.organisations.models import Organisation
from jimtraining.timeutil import utcnow


@bp.route("/admin/organisations", methods=["GET", "POST"])
@admin_required
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        db.session.add(Organisation(name=form.name.data, kind=form.kind.data))
        db.session.commit()
        flash(_("Organisatie toegevoegd."), "success")
        return redirect(url_for("admin.organisations"))
    rows = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows, form=form)


@bp.route("/admin/outbox")
@admin_required
def outbox():
    return render_template("admin/outbox.html", mails=sent_mails(), backend=current_app.config.get("MAIL_BACKEND"),
                           now=utcnow())
