"""Forms for cohorts, enrolment and sessions."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
    URLField,
    widgets,
)
from wtforms.validators import URL, DataRequired, Email, EqualTo, Length, Optional, ValidationError

from jimtraining.accounts.forms import choices, normalise_email, strip
from jimtraining.accounts.models import WORK_CONTEXTS, User
from jimtraining.accounts.passwords import password_problems
from jimtraining.cohorts.models import ATTENDANCE_STATUSES, COHORT_STATUSES
from jimtraining.cohorts.track_fit import missing_modules, missing_modules_text, module_titles
from jimtraining.content.catalogue import catalogue
from jimtraining.curriculum.models import Module
from jimtraining.data import regions
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.roles import Role

LOCAL = ZoneInfo("Europe/Amsterdam")
#: Dates outside these years are typing mistakes.
YEARS = (2000, 2100)


def local_to_utc(date, time) -> datetime:
    """A date and time in Dutch time, as UTC. In the hour that happens twice when the clocks go back (the last
    Sunday of October, 2:00-3:00) this is the first time round, still summer time (fold=0): a trainer who plans
    something then means the time that comes first. A time that does not exist (see `local_time_exists`) must
    be refused before this is called; zoneinfo would silently move it an hour."""
    return datetime.combine(date, time, tzinfo=LOCAL).astimezone(UTC)


def local_time_exists(date, time) -> bool:
    """False for a time the clocks skip: the last Sunday of March has no 2:00-2:59 in the Netherlands."""
    moment = datetime.combine(date, time, tzinfo=LOCAL)
    return moment.astimezone(UTC).astimezone(LOCAL).replace(tzinfo=None) == moment.replace(tzinfo=None)


def _year_in_range(form, field):
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(_l("Kies een datum tussen %(a)s en %(b)s.", a=YEARS[0], b=YEARS[1]))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CohortForm(FlaskForm):
    name = StringField(_l("Naam van de groep"), validators=[DataRequired(_l("Geef de groep een naam.")),
                                                            Length(max=200)], filters=[strip])
    organisation_id = SelectField(_l("Organisatie"), coerce=int)
    region = SelectField(_l("Regio"))
    work_context = SelectField(_l("Werkveld"), default="")
    starts_on = DateField(_l("Startdatum"), validators=[Optional(), _year_in_range])
    ends_on = DateField(_l("Einddatum"), validators=[Optional(), _year_in_range])
    status = SelectField(_l("Status"), choices=choices(COHORT_STATUSES.items()), default="planned")
    module_slugs = MultiCheckboxField(_l("Modules die de groep volgt"))
    track_slug = SelectField(_l("Certificeringstraject"), default="",
                             description=_l("Het certificaat dat de deelnemers met deze groep kunnen halen."))
    trainer_ids = MultiCheckboxField(_l("Trainers"), coerce=int)
    submit = SubmitField(_l("Opslaan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = choices(
            db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all())
        self.region.choices = choices((r, r) for r in regions())
        self.work_context.choices = choices([("", _l("— geen —"))] + list(WORK_CONTEXTS.items()))
        self.module_slugs.choices = choices(db.session.execute(
            select(Module.slug, Module.title).where(Module.archived.is_(False)).order_by(Module.position)).all())
        current = getattr(kwargs.get("obj"), "track_slug", None)
        # Train-the-trainer groups are set up by the programme office: a trainer cannot turn a group into one.
        admin = bool(current_user and current_user.is_authenticated and current_user.role == Role.ADMIN)
        tracks = [(track.slug, track.title) for track in catalogue().tracks.values()  # in the tracks' order
                  if not track.archived and (admin or track.audience != "trainer" or track.slug == (current or ""))]
        if current and current not in dict(tracks):
            # The cohort's track was removed from the content: keep it selectable so the form still saves.
            tracks.append((current, _l("%(slug)s (bestaat niet meer)", slug=current)))
        self.track_slug.choices = choices([("", _l("— geen —"))] + tracks)
        # Only people who already are trainers can be added: a trainer never makes anyone a trainer.
        self.trainer_ids.choices = choices(db.session.execute(
            select(User.id, User.name).where(User.role == Role.TRAINER, User.is_enabled.is_(True)).order_by(User.name)
        ).all())

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("De einddatum ligt voor de startdatum."))

    def validate_module_slugs(self, field):
        """The modules must include every module the chosen track requires (extra modules are fine)."""
        if not self.track_slug.data:
            return
        track = catalogue().track(self.track_slug.data)
        track = None if track is None or track.archived else track
        missing = missing_modules(field.data, track) if track is not None else []
        if missing:
            raise ValidationError(missing_modules_text(track.title, module_titles(missing)) + " "
                                  + str(_l("Vink de ontbrekende modules aan, of kies een ander traject.")))


class InviteForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=120)],
                       filters=[strip])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul een e-mailadres in.")),
                                                      Email(_l("Dit is geen geldig e-mailadres."),
                                                            check_deliverability=False), Length(max=254)],
                       filters=[normalise_email])
    submit = SubmitField(_l("Uitnodiging sturen"))


class UploadForm(FlaskForm):
    file = FileField(_l("CSV-bestand"), validators=[FileRequired(_l("Kies een bestand."))],
                     description=_l("Kolommen: naam, e-mail, organisatie, SKJ-nummer (niet verplicht). "
                                    "Komma of puntkomma als scheidingsteken, opgeslagen als UTF-8."))
    submit = SubmitField(_l("Controleren"))


class SessionForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Geef de bijeenkomst een titel.")),
                                                 Length(max=200)], filters=[strip])
    date = DateField(_l("Datum"), validators=[DataRequired(_l("Kies een datum.")), _year_in_range])
    start_time = TimeField(_l("Begintijd"), validators=[DataRequired(_l("Kies een begintijd."))])
    end_time = TimeField(_l("Eindtijd"), validators=[DataRequired(_l("Kies een eindtijd."))])
    location = StringField(_l("Plaats"), validators=[Optional(), Length(max=200)], filters=[strip])
    online_url = URLField(_l("Link voor online meedoen"), validators=[
        Optional(), URL(require_tld=False, message=_l("Dit is geen geldige link.")), Length(max=500)],
        filters=[strip])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=10000)],
                           description=_l("Markdown mag: **vet**, lijstjes met -."))
    sketches = TextAreaField(_l("Sketches die gespeeld worden"), validators=[Optional(), Length(max=2000)],
                             description=_l("Eén per regel."))
    submit = SubmitField(_l("Opslaan"))

    def _check_time_exists(self, field):
        date = self.date.data
        if field.data and date and YEARS[0] <= date.year <= YEARS[1] and not local_time_exists(date, field.data):
            raise ValidationError(_l("%(time)s bestaat niet op %(date)s: de klok gaat dan een uur vooruit, van "
                                     "2:00 naar 3:00. Kies een andere tijd.",
                                     time=field.data.strftime("%H:%M"), date=format_date(date, "d MMMM y")))

    def validate_start_time(self, field):
        self._check_time_exists(field)

    def validate_end_time(self, field):
        if field.data and self.start_time.data and field.data <= self.start_time.data:
            raise ValidationError(_l("De eindtijd ligt voor de begintijd."))
        # With both times existing, the end also comes after the start in UTC (local_to_utc keeps the order).
        self._check_time_exists(field)

    def validate_online_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(_l("Een link begint met https://"))


class JoinForm(FlaskForm):
    code = StringField(_l("Groepscode"), validators=[DataRequired(_l("Vul de code in.")), Length(max=20)],
                       filters=[strip], render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    submit = SubmitField(_l("Aanmelden bij de groep"))


class CheckinForm(FlaskForm):
    code = StringField(_l("Code van de trainer"), validators=[DataRequired(_l("Vul de code in.")), Length(max=10)],
                       filters=[strip], render_kw={"inputmode": "numeric", "autocomplete": "off"})
    submit = SubmitField(_l("Inchecken"))


class AttendanceForm(FlaskForm):
    """Only the CSRF token: the statuses come as buttons set-<user id> (one learner per tap), a button "all"
    (everyone without a mark is present) or status-<user id> fields (several at once); see `read_attendance`."""

    submit = SubmitField(_l("Aanwezigheid opslaan"))
    STATUSES = ATTENDANCE_STATUSES


def read_attendance(data, member_ids) -> tuple[dict[int, str], int | None, bool]:
    """The marks a posted attendance form asks for: (user id -> status, the learner whose button was tapped or
    None, whether "everyone present" was tapped). Learners who are not in `member_ids` and unknown statuses are
    left out, so odd input changes nothing."""
    statuses, tapped = {}, None
    for user_id in member_ids:
        value = data.get(f"status-{user_id}")
        if value in ATTENDANCE_STATUSES:
            statuses[user_id] = value
        value = data.get(f"set-{user_id}")
        if value in ATTENDANCE_STATUSES:
            statuses[user_id], tapped = value, user_id
    return statuses, tapped, data.get("all") == "present"


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul je naam in.")), Length(max=120)],
                       filters=[strip], render_kw={"autocomplete": "name"})
    password = PasswordField(_l("Kies een wachtwoord"), validators=[DataRequired(_l("Kies een wachtwoord."))],
                             render_kw={"autocomplete": "new-password"},
                             description=_l("Minstens 12 tekens, niet makkelijk te raden."))
    confirm = PasswordField(_l("Wachtwoord nog een keer"), validators=[
        DataRequired(_l("Vul het wachtwoord nog een keer in.")),
        EqualTo("password", _l("De twee wachtwoorden zijn niet gelijk."))], render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Account maken en deelnemen"))

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._email = email

    def validate_password(self, field):
        problems = password_problems(field.data, self.name.data or "", self._email)
        if problems:
            raise ValidationError(" ".join(problems))
