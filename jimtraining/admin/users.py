"""Users: the list with search, a new account, editing one (role, profile), switching it off and on, and erasing
it (AVG)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jimtraining.access import admin_required, get_or_404
from jimtraining.accounts import services
from jimtraining.accounts.forms import ConfirmForm, UserCreateForm, UserEditForm
from jimtraining.accounts.models import ROLES, User
from jimtraining.admin.blueprint import bp
from jimtraining.extensions import db
from jimtraining.privacy import services as privacy
from jimtraining.privacy.forms import EraseForm
from jimtraining.web import page_of

#: The admin's list of users: people per page (the national installation has tens of thousands).
USERS_PER_PAGE = 50

#: The fields of an account that the admin's forms edit besides the role (as the profile page does).
ACCOUNT_FIELDS = ("name", "email", "organisation_id", "region", "work_context", "skj_number")


def _account_values(form) -> dict:
    values = {name: getattr(form, name).data for name in ACCOUNT_FIELDS}
    values["organisation_id"] = values["organisation_id"] or None
    for key in ("region", "work_context", "skj_number"):
        values[key] = values[key] or None
    return values


@bp.route("/admin/users")
@admin_required
def users():
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    role = role if role in ROLES else ""
    page = page_of(services.users_query(q, role), USERS_PER_PAGE)
    return render_template("admin/users.html", page=page, q=q, role=role, roles=ROLES, confirm=ConfirmForm())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    form = UserCreateForm()
    if form.validate_on_submit():
        values = _account_values(form)
        user = services.create_user(password=form.password.data, role=form.role.data, **values)
        flash(_("Account voor %(name)s is aangemaakt.", name=user.name), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_new.html", form=form)


@bp.route("/admin/users/<id:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id):
    user = get_or_404(User, user_id)
    form = UserEditForm(obj=user, user_id=user.id)
    if form.validate_on_submit():
        try:
            services.set_role(user, form.role.data, by=current_user)
        except ValueError:
            db.session.rollback()
            flash(_("Je kunt je eigen beheerdersrol niet weghalen."), "error")
            return render_template("admin/user_edit.html", form=form, user=user, confirm=ConfirmForm()), 400
        for key, value in _account_values(form).items():
            setattr(user, key, value)
        user.locale = form.locale.data
        db.session.commit()
        flash(_("De gegevens van %(name)s zijn opgeslagen.", name=user.name), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user, confirm=ConfirmForm())


@bp.route("/admin/users/<id:user_id>/deactivate", methods=["POST"])
@admin_required
def user_deactivate(user_id):
    return _set_enabled(user_id, False)


@bp.route("/admin/users/<id:user_id>/activate", methods=["POST"])
@admin_required
def user_activate(user_id):
    return _set_enabled(user_id, True)


def _set_enabled(user_id: int, enabled: bool):
    user = get_or_404(User, user_id)
    try:
        services.set_enabled(user, enabled, by=current_user)
    except ValueError:
        flash(_("Je kunt je eigen account niet uitzetten."), "error")
        return redirect(url_for("admin.users"))
    if enabled:
        flash(_("%(name)s kan weer inloggen.", name=user.name), "success")
    else:
        flash(_("%(name)s is uitgezet en is overal uitgelogd.", name=user.name), "success")
    return redirect(url_for("admin.users"))


# Erasure (AVG) ----------------------------------------------------------------------------------------------

def _forbidden(message: str):
    return render_template("errors/error.html", code=403, title=_("Geen toegang"), message=message), 403


def _erase_page(user, form, status=200):
    return render_template("admin/erase.html", user=user, form=form, preview=privacy.erasure_preview(user),
                           erased=privacy.is_erased(user)), status


# GET and POST are two rules on purpose: the page only shows, the POST erases (no state change on a GET rule).
@bp.get("/admin/users/<id:user_id>/erase")
@admin_required
def erase_confirm(user_id):
    user = get_or_404(User, user_id)
    if user.id == current_user.id:
        return _forbidden(_("Je kunt je eigen account niet verwijderen. Vraag een andere beheerder."))
    return _erase_page(user, EraseForm(user=user))


@bp.post("/admin/users/<id:user_id>/erase")
@admin_required
def erase(user_id):
    user = get_or_404(User, user_id)
    if user.id == current_user.id:
        return _forbidden(_("Je kunt je eigen account niet verwijderen. Vraag een andere beheerder."))
    if privacy.is_erased(user):
        flash(_("Dit account is al verwijderd."), "info")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    form = EraseForm(user=user)
    if not form.validate_on_submit():
        return _erase_page(user, form, 400)
    try:
        privacy.erase_user(user, by=current_user._get_current_object(), reason=form.reason.data)
    except privacy.PrivacyError as error:
        flash(str(error), "error")
        return _erase_page(user, form, 400)
    flash(_("Het account is verwijderd: de persoonsgegevens zijn gewist of geanonimiseerd."), "success")
    return redirect(url_for("admin.users"))
