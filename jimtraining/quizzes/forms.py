"""The trainer's form for grading an open answer (the learner's answer form is built from the drawn questions)."""

import math

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError


class ReviewForm(FlaskForm):
    points = FloatField(_l("Punten"), validators=[InputRequired(_l("Geef een aantal punten."))])
    feedback = TextAreaField(_l("Feedback voor de deelnemer"), validators=[Length(max=5000)],
                             description=_l("Wat ging goed, wat kan beter? Beschrijf wat je in het antwoord leest."))
    submit = SubmitField(_l("Beoordeling opslaan"))

    def __init__(self, *args, max_points: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.points.validators = [
            InputRequired(_l("Geef een aantal punten.")),
            NumberRange(min=0, max=max_points, message=_l("Geef 0 tot en met %(max)s punten.", max=max_points)),
        ]
        self.points.render_kw = {"min": 0, "max": max_points, "step": "0.5", "inputmode": "decimal"}

    def validate_points(self, field):
        if field.data is None or not math.isfinite(field.data):
            raise ValidationError(_l("Geef een getal."))
