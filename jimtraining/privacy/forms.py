"""The confirmation an admin gives before erasing an account."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from jimtraining.accounts.forms import choices, normalise_email
from jimtraining.privacy.services import ERASE_REASONS


class EraseForm(FlaskForm):
    confirm_email = StringField(
        _l("Typ ter bevestiging het e-mailadres van dit account"),
        validators=[DataRequired(_l("Typ het e-mailadres van het account."))], filters=[normalise_email],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    reason = SelectField(_l("Reden"), default="", validators=[DataRequired(_l("Kies een reden."))])
    submit = SubmitField(_l("Account definitief verwijderen"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.reason.choices = choices([("", _l("— kies —")), *ERASE_REASONS.items()])

    def validate_confirm_email(self, field):
        if field.data != self.user.email.strip().lower():
            raise ValidationError(_l("Dit is niet het e-mailadres van dit account."))
