"""Login, logout, profile, password, and the admin pages for users."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from jimtraining.accounts import services
from jimtraining.accounts.forms import (
    ConfirmForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    UserCreateForm,
    UserEditForm,
)
from jimtraining.accounts.models import User
from jimtraining.extensions import db
from jimtraining.permissions import admin_required
from jimtraining.web import safe_next

bp = Blueprint("accounts", __name__)

PROFILE_FIELDS = ("name", "email", "organisation_id", "region", "work_context", "skj_number")


def _profile_values(form) -> dict:
    values = {name: getattr(form, name).data for name in PROFILE_FIELDS}
    values["organisation_id"] = values["organisation_id"] or None
    for key in ("region", "work_context", "skj_number"):
        values[key] = values[key] or None
    return values


@bp.route("/login", methods=["GET", "POST"])
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
            login_user(user, remember=form.remember.data)
            flash(_("Welkom, %(name)s.", name=user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("Je bent uitgelogd."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user, user_id=current_user.id)
    if form.validate_on_submit():
        for key, value in _profile_values(form).items():
            setattr(current_user, key, value)
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Je gegevens zijn opgeslagen."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm(user=current_user)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        services.change_password(user, form.new_password.data)
        # This session continues with the new token (and keeps "stay logged in" if it had it); all others end.
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        login_user(user, remember=remember_cookie in request.cookies)
        flash(_("Je wachtwoord is gewijzigd. Op andere apparaten moet je opnieuw inloggen."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


# Admin ------------------------------------------------------------------------------------------------------

@bp.route("/admin/users")
@admin_required
def admin_users():
    users = db.session.scalars(select(User).order_by(User.is_enabled.desc(), User.name)).all()
    return render_template("admin/users.html", users=users, confirm=ConfirmForm())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def admin_user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        values = _profile_values(form)
        user = services.create_user(password=form.password.data, role=form.role.data, **values)
        flash(_("Account voor %(name)s is aangemaakt.", name=user.name), "success")
        return redirect(url_for("accounts.admin_users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/admin/users/<int(max=2147483647):user_id>", methods=["GET", "POST"])
@admin_required
def admin_user_edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user, user_id=user.id)
    if form.validate_on_submit():
        try:
            services.set_role(user, form.role.data, by=current_user)
        except ValueError:
            db.session.rollback()
            flash(_("Je kunt je eigen beheerdersrol niet weghalen."), "error")
            return render_template("admin/user_edit.html", form=form, user=user, confirm=ConfirmForm()), 400
        for key, value in _profile_values(form).items():
            setattr(user, key, value)
        user.locale = form.locale.data
        db.session.commit()
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=user.name), "success")
        return redirect(url_for("accounts.admin_users"))
    return render_template("admin/user_edit.html", form=form, user=user, confirm=ConfirmForm())


@bp.route("/admin/users/<int(max=2147483647):user_id>/deactivate", methods=["POST"])
@admin_required
def admin_user_deactivate(user_id):
    return _set_enabled(user_id, False)


@bp.route("/admin/users/<int(max=2147483647):user_id>/activate", methods=["POST"])
@admin_required
def admin_user_activate(user_id):
    return _set_enabled(user_id, True)


def _set_enabled(user_id: int, enabled: bool):
    user = db.get_or_404(User, user_id)
    try:
        services.set_enabled(user, enabled, by=current_user)
    except ValueError:
        flash(_("Je kunt je eigen account niet uitzetten."), "error")
        return redirect(url_for("accounts.admin_users"))
    if enabled:
        flash(_("%(name)s kan weer inloggen.", name=user.name), "success")
    else:
        flash(_("%(name)s is uitgezet en is overal uitgelogd.", name=user.name), "success")
    return redirect(url_for("accounts.admin_users"))
