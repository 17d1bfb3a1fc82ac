"""Forms for logging in, the profile and user administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from jimtraining.accounts.models import ROLES, WORK_CONTEXTS, User
from jimtraining.accounts.passwords import password_problems
from jimtraining.data import regions
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as options of a SelectField."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def normalise_email(value):
    return value.strip().lower() if isinstance(value, str) else value


def email_taken(email: str, except_user_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == normalise_email(email))
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return db.session.scalar(query) is not None


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in."))],
                       filters=[normalise_email], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Ingelogd blijven op dit apparaat"))
    submit = SubmitField(_l("Inloggen"))


class _ProfileFields(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=120)],
                       filters=[strip], render_kw={"autocomplete": "name"})
    email = EmailField(_l("E-mailadres"), validators=[
        DataRequired(_l("Vul een e-mailadres in.")),
        Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False),
        Length(max=254),
    ], filters=[normalise_email], render_kw={"autocomplete": "email"})
    organisation_id = SelectField(_l("Organisatie"), coerce=int, default=0)
    region = SelectField(_l("Regio"), default="")
    work_context = SelectField(_l("Werkveld"), default="")
    skj_number = StringField(
        _l("SKJ-registratienummer (niet verplicht)"),
        validators=[Optional(), Regexp(r"^\d{6,12}$", message=_l("Een SKJ-nummer bestaat uit 6 tot 12 cijfers."))],
        filters=[strip],
    )

    def __init__(self, *args, user_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user_id = user_id
        organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
        none = _l("— geen —")
        self.organisation_id.choices = choices([(0, none)] + [(row.id, row.name) for row in organisations])
        self.region.choices = choices([("", none)] + [(r, r) for r in regions()])
        self.work_context.choices = choices([("", none)] + list(WORK_CONTEXTS.items()))
        # An account without organisation, region or work context shows (and keeps) the "none" choice.
        for field, empty in ((self.organisation_id, 0), (self.region, ""), (self.work_context, "")):
            if field.data is None:
                field.data = empty

    def validate_email(self, field):
        if email_taken(field.data, self._user_id):
            raise ValidationError(_l("Er is al een account met dit e-mailadres."))


class ProfileForm(_ProfileFields):
    """A person's own details. A new e-mail address (the login and the address for password-reset links) needs
    the current password: a session someone took over must not be able to take the account with it."""

    current_password = PasswordField(_l("Huidig wachtwoord"),
                                     description=_l("Alleen nodig als je je e-mailadres wijzigt."),
                                     render_kw={"autocomplete": "current-password"})
    locale = SelectField(_l("Taal"), choices=choices([("nl", "Nederlands"), ("en", "English")]))
    submit = SubmitField(_l("Opslaan"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user_id=user.id, **kwargs)
        self._user = user

    @property
    def email_changes(self) -> bool:
        return normalise_email(self.email.data or "") != normalise_email(self._user.email)

    def validate_current_password(self, field):
        if not self.email_changes:
            return
        if not field.data:
            raise ValidationError(_l("Vul je huidige wachtwoord in om je e-mailadres te wijzigen."))
        if not self._user.check_password(field.data):
            raise ValidationError(_l("Je huidige wachtwoord klopt niet."))


def _new_password_field():
    return PasswordField(_l("Nieuw wachtwoord"), validators=[DataRequired(_l("Vul een nieuw wachtwoord in."))],
                         render_kw={"autocomplete": "new-password"})


def _confirm_field():
    return PasswordField(_l("Nieuw wachtwoord nog een keer"), validators=[
        DataRequired(_l("Vul het nieuwe wachtwoord nog een keer in.")),
        EqualTo("new_password", _l("De twee nieuwe wachtwoorden zijn niet gelijk.")),
    ], render_kw={"autocomplete": "new-password"})


class _NewPasswordCheck:
    """The password policy for new_password, with the user's own name and address (passwords.py)."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = user

    def validate_new_password(self, field):
        problems = password_problems(field.data, self._user.name, self._user.email)
        if problems:
            raise ValidationError(" ".join(problems))


class PasswordChangeForm(_NewPasswordCheck, FlaskForm):
    current_password = PasswordField(_l("Huidig wachtwoord"),
                                     validators=[DataRequired(_l("Vul je huidige wachtwoord in."))],
                                     render_kw={"autocomplete": "current-password"})
    new_password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Wachtwoord wijzigen"))

    def validate_current_password(self, field):
        if not self._user.check_password(field.data):
            raise ValidationError(_l("Je huidige wachtwoord klopt niet."))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[
        DataRequired(_l("Vul je e-mailadres in.")),
        Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False),
        Length(max=254, message=_l("Dit is geen geldig e-mailadres.")),
    ], filters=[normalise_email], render_kw={"autocomplete": "username"})
    submit = SubmitField(_l("Stuur mij een link"))


class PasswordResetForm(_NewPasswordCheck, FlaskForm):
    """A new password through the link in the mail. Without ``user`` (a refused request) it only renders."""

    new_password = _new_password_field()
    confirm = _confirm_field()
    submit = SubmitField(_l("Wachtwoord opslaan"))


class UserCreateForm(_ProfileFields):
    role = SelectField(_l("Rol"), choices=choices(ROLES.items()))
    password = PasswordField(_l("Eerste wachtwoord"), validators=[DataRequired(_l("Vul een wachtwoord in."))],
                             render_kw={"autocomplete": "new-password"},
                             description=_l("Minstens 12 tekens. Geef het wachtwoord veilig door; de gebruiker "
                                            "kan het daarna zelf wijzigen."))
    submit = SubmitField(_l("Gebruiker aanmaken"))

    def validate_password(self, field):
        problems = password_problems(field.data, self.name.data or "", self.email.data or "")
        if problems:
            raise ValidationError(" ".join(problems))


class UserEditForm(_ProfileFields):
    role = SelectField(_l("Rol"), choices=choices(ROLES.items()))
    locale = SelectField(_l("Taal"), choices=choices([("nl", "Nederlands"), ("en", "English")]))
    submit = SubmitField(_l("Opslaan"))


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts with a CSRF token."""

    submit = SubmitField(_l("Bevestigen"))
