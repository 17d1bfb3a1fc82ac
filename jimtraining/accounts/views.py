"""Login, logout, profile, password and login sessions (the admin pages for users are in jimtraining/admin/)."""

import logging

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from jimtraining.accounts import services
from jimtraining.accounts.devices import describe
from jimtraining.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    ProfileForm,
)
from jimtraining.accounts.models import User
from jimtraining.accounts.reset_links import ResetLinkError, max_age_minutes, user_for_token
from jimtraining.accounts.throttle import limit_password_checks, limit_per_client, limit_per_email, refusal
from jimtraining.extensions import db
from jimtraining.mailing import send_mail
from jimtraining.web import absolute_url, safe_next

log = logging.getLogger(__name__)

bp = Blueprint("accounts", __name__)

PROFILE_FIELDS = ("name", "email", "organisation_id", "region", "work_context", "skj_number")


def _profile_values(form) -> dict:
    values = {name: getattr(form, name).data for name in PROFILE_FIELDS}
    values["organisation_id"] = values["organisation_id"] or None
    for key in ("region", "work_context", "skj_number"):
        values[key] = values[key] or None
    return values


@bp.after_app_request
def note_session_seen(response):
    """last_seen_at of the login session is written at most once an hour (services.seen_every)."""
    user = g.get("_login_user")  # only there when this request looked at current_user
    if getattr(user, "login_seen_due", False):
        user.login_seen_due = False
        services.touch_session(user.login_session_id)
    return response


def _login_refused(request_limit):
    # The same answer for every address, with or without an account, and for a right or wrong password.
    return refusal("accounts/login.html", _("Er is te vaak geprobeerd in te loggen. Wacht een paar minuten en "
                                            "probeer het dan opnieuw."), request_limit, form=LoginForm())


@bp.route("/login", methods=["GET", "POST"])
@limit_per_client("LOGIN_LIMIT_PER_IP", on_breach=_login_refused)
@limit_per_email("LOGIN_LIMIT_PER_ACCOUNT", on_breach=_login_refused)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            # One message whether or not the account exists.
            flash(_("Dit e-mailadres en wachtwoord horen niet bij een actief account."), "error")
        else:
            services.log_in(user, remember=form.remember.data)
            target = safe_next(request.args.get("next"))
            if target:  # the start page greets by name itself: one welcome, not two
                flash(_("Welkom, %(name)s.", name=user.name), "success")
            return redirect(target or url_for("main.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    # The login session ends on the server: a copied session or "remember me" cookie no longer works either.
    if current_user.is_authenticated:
        services.end_session(current_user.login_token)
    logout_user()
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("accounts.login"))


# Password reset ---------------------------------------------------------------------------------------------
# GET and POST are separate endpoints (same address): the GET pages only show a form.

def _reset_requests_refused(request_limit):
    return refusal("accounts/forgot_password.html",
                   _("Er zijn te veel aanvragen voor een nieuw wachtwoord gedaan. Wacht een tijdje en probeer het "
                     "dan opnieuw. Heb je al een mail van ons gekregen? Dan kun je de link in die mail gebruiken."),
                   request_limit, form=PasswordResetRequestForm())


@bp.get("/password/forgot")
def forgot_password():
    return render_template("accounts/forgot_password.html", form=PasswordResetRequestForm())


@bp.post("/password/forgot")
@limit_per_client("RESET_LIMIT_PER_IP", on_breach=_reset_requests_refused)
@limit_per_email("RESET_LIMIT_PER_ADDRESS", on_breach=_reset_requests_refused)
def forgot_password_send():
    form = PasswordResetRequestForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form)
    found = services.password_reset_for(form.email.data)
    if found is not None:
        _send_reset_mail(*found)
    # The same answer whether or not the address has an account.
    flash(_("Als dit adres bij ons bekend is, krijg je een mail met een link om een nieuw wachtwoord te kiezen. De "
            "link werkt %(minutes)s minuten. Geen mail gekregen? Kijk ook bij je ongewenste mail.",
            minutes=max_age_minutes()), "info")
    return redirect(url_for("accounts.login"))


def _send_reset_mail(user: User, token: str) -> None:
    """Mail the link in the user's own language. A mail that cannot be sent is logged, not shown: showing it
    would tell whether the address has an account."""
    with force_locale(user.locale or "nl"):
        body = _("Hallo %(name)s,\n\nJe hebt gevraagd om een nieuw wachtwoord voor JIM-training. Kies een nieuw "
                 "wachtwoord via deze link (hij werkt %(minutes)s minuten en één keer):\n%(link)s\n\nHeb je dit "
                 "niet zelf gevraagd? Dan hoef je niets te doen: je wachtwoord blijft hetzelfde.\n\nMet "
                 "vriendelijke groet,\nJIM-training",
                 name=user.name, minutes=max_age_minutes(), link=absolute_url("accounts.reset_password", token=token))
        subject = _("Een nieuw wachtwoord kiezen voor JIM-training")
    send_mail(user.email, subject, body)
    db.session.commit()  # the mail goes out in the background; one that keeps failing is listed at /admin/jobs


def _reset_problem(error: ResetLinkError):
    messages = {
        "expired": (_("Deze link is verlopen. Een link om een nieuw wachtwoord te kiezen werkt %(minutes)s minuten. "
                      "Vraag hieronder een nieuwe link aan.", minutes=max_age_minutes()), 410),
        "used": (_("Deze link werkt niet meer: hij is al gebruikt, of je wachtwoord is inmiddels gewijzigd. Vraag "
                   "hieronder een nieuwe link aan als dat nodig is."), 410),
        "invalid": (_("Deze link klopt niet. Misschien is hij niet helemaal meegekomen uit de mail. Kopieer de hele "
                      "link, of vraag hieronder een nieuwe aan."), 400),
    }
    message, status = messages[error.kind]
    return render_template("accounts/reset_problem.html", message=message), status


def _reset_saves_refused(request_limit):
    return refusal("accounts/reset_password.html",
                   _("Er is te vaak geprobeerd een nieuw wachtwoord op te slaan. Wacht een minuut en probeer het dan "
                     "opnieuw."), request_limit, form=PasswordResetForm())


@bp.get("/password/reset/<string(maxlength=300):token>")
def reset_password(token):
    try:
        user = user_for_token(token)
    except ResetLinkError as error:
        return _reset_problem(error)
    return render_template("accounts/reset_password.html", form=PasswordResetForm(user=user))


@bp.post("/password/reset/<string(maxlength=300):token>")
@limit_per_client("RESET_PASSWORD_LIMIT_PER_IP", on_breach=_reset_saves_refused)
def reset_password_save(token):
    try:
        user = user_for_token(token)
    except ResetLinkError as error:
        return _reset_problem(error)
    form = PasswordResetForm(user=user)
    if not form.validate_on_submit():
        return render_template("accounts/reset_password.html", form=form)
    own_session = current_user.is_authenticated and current_user.id == user.id
    services.reset_password(user, form.new_password.data)
    if own_session:
        logout_user()  # that session has just ended with the others; clear its cookies too
    flash(_("Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord. Op al je apparaten ben je uitgelogd."),
          "success")
    return redirect(url_for("accounts.login"))


def _password_tries_refused(template: str, make_form):
    """The page again, unsaved, with status 429 (throttle.limit_password_checks)."""
    def refused(request_limit):
        return refusal(template, _("Er is te vaak een verkeerd wachtwoord ingevuld. Wacht een minuut en probeer het "
                                   "dan opnieuw. Er is niets opgeslagen."), request_limit,
                       form=make_form(current_user._get_current_object()))
    return refused


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@limit_password_checks("current_password",
                       on_breach=_password_tries_refused("accounts/profile.html",
                                                         lambda user: ProfileForm(obj=user, user=user)))
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user, user=user)
    if form.validate_on_submit():
        values = _profile_values(form)
        new_email = values.pop("email")
        for key, value in values.items():
            setattr(user, key, value)
        user.locale = form.locale.data
        if not form.email_changes:
            db.session.commit()
            flash(_("Je gegevens zijn opgeslagen."), "success")
            return redirect(url_for("accounts.profile"))
        old_email = services.change_email(user, new_email, keep_session_id=user.login_session_id)
        _send_email_changed_notice(user, old_email)
        flash(_("Je gegevens zijn opgeslagen. Je logt voortaan in met %(email)s. Op je andere apparaten ben je "
                "uitgelogd, en we hebben een bericht gestuurd naar je oude e-mailadres.", email=user.email),
              "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


def masked_email(email: str) -> str:
    """n***@example.org: enough for the owner to recognise the address, not enough to hand it to whoever reads
    the old mailbox now (a former employer's, say)."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _send_email_changed_notice(user: User, old_email: str) -> None:
    """Tell the old address that the login address changed, in the user's language. The change is made either way:
    a notice that cannot be sent is logged for the administrators, not shown (the sender may be the intruder)."""
    with force_locale(user.locale or "nl"):
        body = _("Hallo %(name)s,\n\nHet e-mailadres waarmee je inlogt bij JIM-training is zojuist gewijzigd in "
                 "%(new)s. Mails van JIM-training, ook die om een nieuw wachtwoord te kiezen, gaan voortaan naar dat "
                 "adres. Op je andere apparaten ben je uitgelogd.\n\nHeb je dit zelf gedaan? Dan hoef je niets te "
                 "doen.\n\nHeb je dit niet zelf gedaan? Dan heeft iemand anders misschien toegang tot je account. "
                 "Neem dan meteen contact op met je trainer of met het landelijk programmabureau van JIM-training. "
                 "Antwoorden op deze mail worden niet gelezen.\n\nMet vriendelijke groet,\nJIM-training",
                 name=user.name, new=masked_email(user.email))
        subject = _("Je e-mailadres bij JIM-training is gewijzigd")
    send_mail(old_email, subject, body)
    db.session.commit()  # sent in the background; one that keeps failing is listed for admins at /admin/jobs


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
@limit_password_checks("current_password",
                       on_breach=_password_tries_refused("accounts/password.html",
                                                  lambda user: PasswordChangeForm(user=user)))
def change_password():
    form = PasswordChangeForm(user=current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        services.change_password(user, form.new_password.data)
        # Every session has ended; this device goes on in a new one (keeping "stay logged in" if it had it).
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        remember = remember_cookie in request.cookies
        services.log_in(user, remember=remember)
        flash(_("Je wachtwoord is gewijzigd. Op andere apparaten moet je opnieuw inloggen."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.get("/profile/sessions")
@login_required
def sessions():
    user = current_user._get_current_object()
    # This device first, then the others from the most recently used.
    sessions = sorted(services.active_sessions(user), key=lambda s: s.id != user.login_session_id)
    return render_template("accounts/sessions.html", sessions=sessions, current_id=user.login_session_id,
                           describe=describe, limits=_limits_in_words())


def _limits_in_words() -> dict:
    """The session limits as people say them: "12 uur", "30 dagen"."""
    config = current_app.config
    minutes = config["SESSION_IDLE_MINUTES"]
    idle = (ngettext("%(num)d uur", "%(num)d uur", minutes // 60) if minutes % 60 == 0
            else ngettext("%(num)d minuut", "%(num)d minuten", minutes))
    return {"idle": idle,
            "remember_idle": ngettext("%(num)d dag", "%(num)d dagen", config["SESSION_REMEMBER_IDLE_DAYS"]),
            "max_age": ngettext("%(num)d dag", "%(num)d dagen", config["SESSION_MAX_DAYS"])}


@bp.post("/profile/sessions/end-others")
@login_required
def end_other_sessions():
    ended = services.end_sessions_but_this_one(current_user._get_current_object())
    if ended:
        flash(ngettext("Je bent op %(num)d ander apparaat uitgelogd.", "Je bent op %(num)d andere apparaten "
                       "uitgelogd.", ended), "success")
    else:
        flash(_("Je was nergens anders ingelogd."), "info")
    return redirect(url_for("accounts.sessions"))


@bp.post("/profile/sessions/<id:login_session_id>/end")
@login_required
def end_session(login_session_id):
    user = current_user._get_current_object()
    login_session = services.find_own_session(user, login_session_id)
    if login_session is None:
        abort(404)  # someone else's sessions are not there for you, not even as a 403
    if login_session.id == user.login_session_id:
        flash(_("Dit is het apparaat dat je nu gebruikt. Wil je hier stoppen? Log dan uit."), "info")
        return redirect(url_for("accounts.sessions"))
    services.end_login_session(login_session)
    flash(_("Je bent op dat apparaat uitgelogd."), "success")
    return redirect(url_for("accounts.sessions"))
