"""Forms for practice assignments, reviews, licences and revocations."""

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from jimtraining.accounts.forms import choices, strip
from jimtraining.accounts.models import User
from jimtraining.certification.co_training import MAX_NOTE
from jimtraining.certification.services import MAX_REASON, MAX_REFLECTION
from jimtraining.extensions import db
from jimtraining.roles import Role


class PracticeForm(FlaskForm):
    text = TextAreaField(_l("Je reflectie"), validators=[
        DataRequired(_l("Schrijf je reflectie.")),
        Length(max=MAX_REFLECTION, message=_l("Je tekst is te lang (hoogstens %(n)s tekens).", n=MAX_REFLECTION))],
        filters=[strip], render_kw={"rows": 18},
        description=_l("Je mag Markdown gebruiken: **vet**, *schuin*, lijstjes met -."))
    no_client_data = BooleanField(_l("Ik heb gecontroleerd: er staan geen gegevens van jongeren, ouders of "
                                     "collega's in waardoor iemand herkenbaar is."))
    submit = SubmitField(_l("Inleveren"))


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Besluit"), choices=choices([("approved", _l("Goedkeuren")),
                                                          ("returned", _l("Teruggeven met feedback"))]),
                          validators=[InputRequired(_l("Kies goedkeuren of teruggeven."))])
    feedback = TextAreaField(_l("Feedback voor de deelnemer"), filters=[strip], render_kw={"rows": 6},
                             validators=[Length(max=MAX_REFLECTION)],
                             description=_l("Verplicht als je de opdracht teruggeeft: wat moet er anders?"))
    reason = TextAreaField(_l("Reden als je afwijkt van het voorstel"), filters=[strip], render_kw={"rows": 3},
                           validators=[Length(max=MAX_REASON, message=_l("De reden is te lang (hoogstens %(n)s "
                                                                          "tekens).", n=MAX_REASON))],
                           description=_l("Verplicht als je anders besluit dan de criteria voorstellen. Alleen "
                                          "trainers en het programmabureau lezen dit (in het auditlogboek)."))
    no_client_data = BooleanField(_l("Ik heb gecontroleerd: er staan geen gegevens van jongeren, ouders of "
                                     "collega's in waardoor iemand herkenbaar is."))
    submit = SubmitField(_l("Besluit opslaan"))


def _id_or_none(value):
    """A chosen id, or None for the placeholder ("") and anything that is not a number."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class LicenceForm(FlaskForm):
    # The placeholder's value is empty: a required <select> must start with such an option (HTML; Nu checker).
    user_id = SelectField(_l("Trainer"), coerce=_id_or_none, validators=[DataRequired(_l("Kies een trainer."))])
    months = IntegerField(_l("Geldig voor (maanden)"), default=24, validators=[
        InputRequired(_l("Vul het aantal maanden in.")),
        NumberRange(min=1, max=120, message=_l("Kies 1 tot 120 maanden."))])
    reason = TextAreaField(_l("Toelichting (niet verplicht)"), filters=[strip], render_kw={"rows": 2},
                           validators=[Optional(), Length(max=MAX_REASON)],
                           description=_l("Bijvoorbeeld: train-de-trainer afgerond op 1 november."))
    submit = SubmitField(_l("Licentie geven of verlengen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices([("", _l("— kies —"))] + db.session.execute(
            select(User.id, User.name).where(User.role == Role.TRAINER, User.is_enabled.is_(True))
            .order_by(User.name)).all())


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reden"), filters=[strip], render_kw={"rows": 3}, validators=[
        DataRequired(_l("Geef een reden op.")), Length(max=MAX_REASON)])
    submit = SubmitField(_l("Certificaat intrekken"))


class CoTrainingForm(FlaskForm):
    email = EmailField(_l("E-mailadres van de kandidaat-trainer"), filters=[strip],
                       validators=[DataRequired(_l("Vul het e-mailadres van de kandidaat in.")), Length(max=254)],
                       description=_l("Het adres waarmee de kandidaat inlogt."))
    note = TextAreaField(_l("Wat deed de kandidaat, en wat zag je?"), filters=[strip], render_kw={"rows": 5},
                         validators=[DataRequired(_l("Schrijf kort op wat de kandidaat deed en wat je zag.")),
                                     Length(max=MAX_NOTE, message=_l("De notitie is te lang (hoogstens %(n)s "
                                                                     "tekens).", n=MAX_NOTE))],
                         description=_l("Kort en over wat je zag: welk deel de kandidaat leidde en hoe. Geen "
                                        "gegevens van deelnemers of jongeren."))
    submit = SubmitField(_l("Ondertekenen"))


class SignOffForm(FlaskForm):
    """The second step of signing off: the trainer saw the preview and confirms (a first click only shows it)."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])


class AmountField(FloatField):
    """A number that may be typed the Dutch way, with a decimal comma (2,5), and shown that way (12, not 12.0)."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        # No thousands separator: "1.000" would be read back as one.
        return format_decimal(self.data, "0.##") if self.data is not None else ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = float(valuelist[0].strip().replace(",", "."))
        except ValueError:
            self.data = None
            raise ValueError(_l("Vul een getal in, zoals 4 of 2,5.")) from None


def _amount(label):
    return AmountField(label, validators=[
        InputRequired(_l("Vul een getal in.")),
        NumberRange(min=0.1, max=1000, message=_l("Vul een getal in van 0,1 tot en met 1000."))])


class AccreditationForm(FlaskForm):
    """The SKJ accreditation of a cohort's run, where it differs from its track's."""

    number = StringField(_l("Accreditatienummer"), filters=[strip], validators=[
        DataRequired(_l("Vul het accreditatienummer in.")),
        Length(max=50, message=_l("Het accreditatienummer is te lang (hoogstens %(n)s tekens).", n=50))])
    points = _amount(_l("Punten"))
    contact_hours = _amount(_l("Contacturen"))
    register_section = StringField(_l("Kamer van het register"), filters=[strip], validators=[
        DataRequired(_l("Vul de kamer van het register in.")),
        Length(max=100, message=_l("De kamer is te lang (hoogstens %(n)s tekens).", n=100))],
        description=_l("Bijvoorbeeld: Jeugd- en gezinsprofessionals."))
    final_test_required = BooleanField(_l("Voor de punten is een afsluitende toets nodig"))
    submit = SubmitField(_l("Accreditatie opslaan"))

    def __init__(self, *args, has_quizzes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_quizzes = has_quizzes

    def validate_final_test_required(self, field):
        if field.data and not self.has_quizzes:
            raise ValidationError(_l("Het traject van deze groep heeft geen toetsen. Een afsluitende toets kan dan "
                                     "niet verplicht zijn."))


class ClearAccreditationForm(FlaskForm):
    clear = SubmitField(_l("Eigen accreditatie weghalen"))
