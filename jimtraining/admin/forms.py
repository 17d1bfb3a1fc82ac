"""Forms of the admin pages that no domain has (the other admin pages use their domain's forms)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from jimtraining.accounts.forms import choices, strip
from jimtraining.extensions import db
from jimtraining.organisations.models import ORGANISATION_KINDS, Organisation


class OrganisationForm(FlaskForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Vul een naam in.")), Length(max=200)],
                       filters=[strip])
    kind = SelectField(_l("Soort"))
    submit = SubmitField(_l("Organisatie toevoegen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(ORGANISATION_KINDS.items())

    def validate_name(self, field):
        if db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == field.data.lower())):
            raise ValidationError(_l("Deze organisatie bestaat al."))
