"""The API's pages for people: the OpenAPI document and its documentation page (public), and the admin's page
where tokens are made (shown once) and revoked."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jimtraining.access import admin_required
from jimtraining.api import tokens
from jimtraining.api.forms import TokenForm
from jimtraining.api.scopes import SCOPES
from jimtraining.timeutil import local_zone, utcnow

bp = Blueprint("api_pages", __name__)


def openapi_document() -> dict:
    """The OpenAPI 3.1 document of this app (built once, when the app was made)."""
    return current_app.extensions["jim-api"].spec.to_dict()


@bp.route("/api/v1/openapi.json")
def openapi_json():
    response = jsonify(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


#: The order of the endpoints on the documentation page.
METHODS = ("get",)


@bp.route("/api/v1/docs")
def docs():
    """The documentation, made on the server from the OpenAPI document: nothing loaded from elsewhere."""
    spec = openapi_document()
    operations = [(path, method, operation) for path, item in spec["paths"].items()
                  for method, operation in item.items() if method in METHODS]
    return render_template("api/docs.html", spec=spec, operations=operations, scopes=SCOPES,
                           schemas=spec.get("components", {}).get("schemas", {}))


@bp.route("/admin/api-tokens", methods=["GET", "POST"])
@admin_required
def tokens_page():
    form = TokenForm()
    made = None
    status = 200
    if form.validate_on_submit():
        organisation = tokens.organisation_or_none(form.organisation_id.data)
        ends = datetime.combine(form.expires_on.data, time(23, 59), tzinfo=local_zone())
        try:
            row, secret = tokens.create_token(organisation, form.name.data, form.scopes.data, ends, current_user)
        except tokens.TokenError as error:
            form.expires_on.errors.append(str(error))
            status = 422
        else:
            # Shown on this answer only: it is not stored, so it cannot be shown again.
            made = {"row": row, "secret": secret}
            form = TokenForm(formdata=None)
            status = 201
    elif form.errors:
        status = 400
    return render_template("api/tokens.html", form=form, made=made, tokens=tokens.organisation_tokens(),
                           now=utcnow(), scopes=SCOPES), status


@bp.route("/admin/api-tokens/<id:token_id>/revoke", methods=["POST"])
@admin_required
def revoke(token_id):
    row = tokens.token_or_none(token_id)
    if row is None:
        return render_template("errors/error.html", code=404, title=_("Pagina niet gevonden"),
                               message=_("Deze sleutel bestaat niet (meer).")), 404
    tokens.revoke_token(row, current_user)
    flash(_("De sleutel %(prefix)s… van %(organisation)s werkt niet meer.", prefix=row.prefix,
            organisation=row.organisation.name), "success")
    return redirect(url_for("api_pages.tokens_page"))
