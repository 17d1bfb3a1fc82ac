"""The choices a lecturer makes before downloading the edubadges files: what the course unit does not state."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired

from jimtraining.accounts.forms import choices
from jimtraining.edubadges.services import ASSESSMENT_TYPES, LEVELS, PARTICIPATION


def _choices(options) -> list:
    """A required choice starts empty: there is no default the lecturer could pass by without seeing it."""
    return choices([("", _l("— kies —")), *options])


class EdubadgesForm(FlaskForm):
    eqf_level = SelectField(_l("EQF/NLQF-niveau"), default="",
                            choices=_choices((str(level), str(level)) for level in LEVELS),
                            validators=[InputRequired(_l("Kies het EQF/NLQF-niveau."))],
                            description=_l("De onderwijseenheid noemt geen niveau. Kies het niveau dat jouw "
                                           "opleiding eraan geeft (een hbo-bachelor is niveau 6)."))
    assessment_type = SelectField(_l("Soort beoordeling"), choices=_choices(ASSESSMENT_TYPES.items()), default="",
                                  validators=[InputRequired(_l("Kies de soort beoordeling."))])
    participation = SelectField(_l("Vorm van deelname"), choices=_choices(PARTICIPATION.items()), default="",
                                validators=[InputRequired(_l("Kies de vorm van deelname."))])
    submit = SubmitField(_l("Bestanden downloaden (zip)"))
