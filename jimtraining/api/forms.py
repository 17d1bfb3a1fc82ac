"""The form that makes an API token (the admin's page, jimtraining/api/pages.py)."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, InputRequired, Length

from jimtraining.accounts.forms import choices, strip
from jimtraining.api.scopes import SCOPES
from jimtraining.extensions import db
from jimtraining.organisations.models import Organisation
from jimtraining.timeutil import local_date, utcnow


def _id_or_none(value):
    """A chosen id, or None for the placeholder ("") and anything that is not a number."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class ScopeField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class TokenForm(FlaskForm):
    organisation_id = SelectField(_l("Organisatie"), coerce=_id_or_none,
                                  validators=[DataRequired(_l("Kies een organisatie."))])
    name = StringField(_l("Waarvoor is de sleutel?"), description=_l("Bijvoorbeeld: HR-systeem. Zo herken je hem "
                                                                       "later in de lijst."),
                       validators=[DataRequired(_l("Geef de sleutel een naam.")), Length(max=120)], filters=[strip])
    scopes = ScopeField(_l("Rechten (alleen lezen)"), validators=[DataRequired(_l("Kies minstens één recht."))])
    expires_on = DateField(_l("Verloopt op"), description=_l("Verplicht, hoogstens een jaar vanaf vandaag."),
                           validators=[InputRequired(_l("Kies een vervaldatum."))])
    submit = SubmitField(_l("Sleutel maken"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
        self.organisation_id.choices = choices([("", _l("— kies —"))] + [(row.id, row.name) for row in organisations])
        self.scopes.choices = [(scope, f"{scope}: {label}") for scope, label in SCOPES.items()]
        if not self.expires_on.data and not self.is_submitted():
            self.expires_on.data = local_date(utcnow()) + timedelta(days=180)
