"""The LTI 1.3 tool's addresses: OIDC login, launch, key set, Deep Linking, Dynamic Registration; the admin page.

/lti/login and /lti/launch are called by the platform's pages (a form post from another site): they carry no CSRF
token of ours, and need none. The signed launch (checked with the platform's keys), the state cookie set at
/lti/login and the one-time nonce are what protects them.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from pylti1p3.contrib.flask import FlaskRequest
from pylti1p3.exception import LtiException
from requests import RequestException

from jimtraining.access import admin_required
from jimtraining.extensions import csrf, db
from jimtraining.lti import deep_linking, grades, keys, platforms, registration
from jimtraining.lti.forms import DeepLinkForm, InviteForm, PlatformForm, RemoveForm
from jimtraining.lti.framing import ANY_FRAMER, allow_framing
from jimtraining.lti.launch import JimMessageLaunch, JimOIDCLogin, LaunchRefusedError
from jimtraining.lti.models import LtiPlatform
from jimtraining.lti.services import DEEP_LINK_KEY, accept, origin_of
from jimtraining.lti.toolconf import DatabaseToolConf
from jimtraining.web import absolute_url

log = logging.getLogger(__name__)

bp = Blueprint("lti", __name__)

#: kind -> (HTTP status, title, what the person reads).
REFUSALS = {
    "request": (400, _l("Deze aanmelding klopt niet"),
                _l("Je leeromgeving stuurde een onvolledige aanmelding. Open de activiteit opnieuw vanuit je "
                   "leeromgeving.")),
    "message": (400, _l("Deze aanmelding kennen we niet"),
                _l("Je leeromgeving vroeg iets wat JIM-training niet kan. Open de activiteit opnieuw; blijft dit "
                   "gebeuren, meld het dan aan de beheerder van je leeromgeving.")),
    "platform": (403, _l("Onbekende leeromgeving"),
                 _l("Deze leeromgeving is niet bij JIM-training aangemeld. Vraag de beheerder van je leeromgeving "
                    "om de koppeling te laten registreren.")),
    "deployment": (403, _l("Onbekende koppeling"),
                   _l("Deze koppeling (deployment) van je leeromgeving is niet bij JIM-training bekend. Vraag de "
                      "beheerder van je leeromgeving om de deployment-id te laten toevoegen.")),
    "signature": (403, _l("Handtekening klopt niet"),
                  _l("We konden niet controleren dat deze aanmelding echt van je leeromgeving komt. Open de "
                     "activiteit opnieuw; blijft dit gebeuren, meld het dan aan de beheerder.")),
    "expired": (403, _l("Aanmelding verlopen"),
                _l("Deze aanmelding vanuit je leeromgeving is verlopen. Open de activiteit opnieuw vanuit je "
                   "leeromgeving.")),
    "nonce": (403, _l("Aanmelding al gebruikt"),
              _l("Deze aanmelding is al eens gebruikt en telt geen tweede keer. Open de activiteit opnieuw vanuit je "
                 "leeromgeving.")),
    "state": (403, _l("Je browser hield de aanmelding niet vast"),
              _l("Je browser stuurde het cookie van de aanmelding niet mee. Dat gebeurt als cookies van andere "
                 "websites geblokkeerd zijn. Open de activiteit in een nieuw venster (een keuze in je "
                 "leeromgeving), of sta cookies voor deze website toe.")),
    "account": (403, _l("Account uitgeschakeld"),
                _l("Je account bij JIM-training is uitgeschakeld. Neem contact op met de beheerder.")),
    "deep_link_role": (403, _l("Alleen voor docenten"),
                       _l("Alleen een docent kan onderdelen van JIM-training aan een cursus toevoegen.")),
}


def refused(refusal: LaunchRefusedError):
    db.session.rollback()
    status, title, message = REFUSALS[refusal.kind]
    log.info("LTI refused (%s): %s", refusal.kind, refusal.detail)
    allow_framing(ANY_FRAMER)
    return render_template("lti/refused.html", title=title, message=message), status


def _request() -> FlaskRequest:
    secure = request.is_secure or bool(request.environ.get("wsgi.url_scheme") == "https")
    return FlaskRequest(request_is_secure=secure)


# The LTI flow -----------------------------------------------------------------------------------------------

@bp.route("/lti/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """OIDC third-party initiated login: check that cookies work here, then send the browser to the platform."""
    allow_framing(ANY_FRAMER)
    try:
        oidc = JimOIDCLogin(_request(), DatabaseToolConf()).enable_check_cookies()
        return oidc.redirect(absolute_url("lti.launch"))
    except LaunchRefusedError as refusal:
        return refused(refusal)


@bp.route("/lti/launch", methods=["POST"])
@csrf.exempt
def launch():
    """The platform posts the signed launch here: log the person in and open what the link points at."""
    conf = DatabaseToolConf()
    message = JimMessageLaunch(_request(), conf)
    try:
        message.validate()
        target = accept(message)
    except LaunchRefusedError as refusal:
        return refused(refusal)
    return redirect(target)


@bp.route("/lti/jwks.json")
def jwks():
    """The tool's public keys: the one that signs and, during a change, the one before it."""
    return jsonify(keys.jwks())


# Deep Linking -----------------------------------------------------------------------------------------------

def _deep_link_request() -> dict:
    data = session.get(DEEP_LINK_KEY)
    if not isinstance(data, dict) or not data.get("return_url") or origin_of(data["return_url"]) is None:
        abort(403)  # no platform asked this person to pick anything
    return data


@bp.route("/lti/deep-link", methods=["GET", "POST"])
@login_required
def deep_link():
    """The lecturer picks what to add to the course; the platform gets the links back."""
    data = _deep_link_request()
    form = DeepLinkForm()
    choices = deep_linking.items()
    if form.validate_on_submit():
        picked = deep_linking.chosen(request.form.getlist("item"), data.get("multiple", True))
        if not picked:
            flash(_("Kies minstens een onderdeel."), "error")
        else:
            token = deep_linking.response_jwt(data, picked)
            deep_linking.show_in_cohort(data, picked)
            session.pop(DEEP_LINK_KEY, None)
            log.info("LTI deep linking: user=%s linked %s", current_user.id, [item.target for item in picked])
            g.form_targets = origin_of(data["return_url"])  # the form goes to the platform (security_headers)
            return render_template("lti/deep_link_return.html", return_url=data["return_url"], token=token,
                                   count=len(picked))
    return render_template("lti/deep_link.html", form=form, items=choices, multiple=data.get("multiple", True))


# Dynamic Registration ---------------------------------------------------------------------------------------

@bp.route("/lti/register/<token>", methods=["GET", "POST"])
@csrf.exempt  # the LMS shows this page in its own frame; the secret address is what allows the registration
def register(token):
    """The LMS opens the registration address; after the confirmation the platform is registered."""
    allow_framing(ANY_FRAMER)
    invite = registration.open_invite(token)
    if invite is None:
        abort(404)
    openid_configuration = request.values.get("openid_configuration", "").strip()
    registration_token = request.values.get("registration_token", "").strip()
    if origin_of(openid_configuration) is None:
        return render_template("lti/register.html", problem=_("Open dit adres vanuit de leeromgeving: die geeft de "
                                                              "gegevens mee die voor de registratie nodig zijn."),
                               token=token), 400
    if request.method == "GET":
        return render_template("lti/register.html", invite=invite, token=token, platform_origin=origin_of(
            openid_configuration), openid_configuration=openid_configuration, registration_token=registration_token)
    try:
        platform = registration.register(invite, openid_configuration, registration_token)
    except (LtiException, RequestException, AssertionError, ValueError, KeyError) as error:
        db.session.rollback()
        log.warning("LTI Dynamic Registration failed: %s", error)
        return render_template("lti/register.html", token=token, problem=_(
            "De registratie is niet gelukt: de leeromgeving gaf niet de gegevens die nodig zijn. Probeer het opnieuw, "
            "of registreer de leeromgeving met de hand op de beheerpagina van JIM-training.")), 422
    return render_template("lti/register.html", token=token, platform=platform)


# The admin page ---------------------------------------------------------------------------------------------

@bp.route("/admin/lti")
@admin_required
def admin():
    return render_template("lti/admin.html", platforms=platforms.platforms(), urls=platforms.tool_urls(),
                           form=PlatformForm(), remove_form=RemoveForm(), invite_form=InviteForm(),
                           outbox=grades.outbox_counts(), keys=keys.published_keys())


@bp.route("/admin/lti/platforms", methods=["POST"])
@admin_required
def admin_add():
    form = PlatformForm()
    if form.validate_on_submit():
        try:
            platform, new = platforms.add_platform(
                name=form.name.data, issuer=form.issuer.data, client_id=form.client_id.data,
                deployment_ids=form.deployment_ids.data, auth_login_url=form.auth_login_url.data,
                auth_token_url=form.auth_token_url.data, keyset_url=form.keyset_url.data,
                auth_audience=form.auth_audience.data or "", frame_origins=form.frame_origins.data or "")
        except platforms.PlatformError as error:
            form.issuer.errors = [*form.issuer.errors, str(error)]
        else:
            flash(_("Leeromgeving %(name)s is geregistreerd.", name=platform.name) if new else
                  _("Leeromgeving %(name)s is bijgewerkt.", name=platform.name), "success")
            return redirect(url_for("lti.admin"))
    return render_template("lti/admin.html", platforms=platforms.platforms(), urls=platforms.tool_urls(),
                           form=form, remove_form=RemoveForm(), invite_form=InviteForm(),
                           outbox=grades.outbox_counts(), keys=keys.published_keys()), 422


@bp.route("/admin/lti/platforms/<id:platform_id>/remove", methods=["POST"])
@admin_required
def admin_remove(platform_id):
    platform = db.get_or_404(LtiPlatform, platform_id)
    if RemoveForm().validate_on_submit():
        platforms.remove_platform(platform)
        flash(_("De leeromgeving is verwijderd. Vanuit die leeromgeving kan niemand meer starten."), "success")
    return redirect(url_for("lti.admin"))


@bp.route("/admin/lti/registrations", methods=["POST"])
@admin_required
def admin_invite():
    """A Dynamic Registration address, shown once."""
    form = InviteForm()
    if form.validate_on_submit():
        url = registration.make_invite(form.name.data)
        flash(_("Registratie-adres (geldig %(days)s dagen, voor één leeromgeving): %(url)s",
                days=registration.REGISTRATION_DAYS, url=url), "success")
    else:
        flash(_("Geef de leeromgeving een naam."), "error")
    return redirect(url_for("lti.admin"))
