"""Forms of the LTI pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class PlatformForm(FlaskForm):
    """Register a platform by hand: what the LMS shows after the tool was added there."""

    name = StringField(_l("Naam"), validators=[Optional(), Length(max=200)],
                       description=_l("Zoals jullie de leeromgeving noemen, bijvoorbeeld 'Brightspace Hogeschool "
                                      "Noord'. De groepen van de cursussen horen bij een organisatie met deze naam."))
    issuer = StringField(_l("Issuer (platform-id)"), validators=[DataRequired(), Length(max=255)])
    client_id = StringField(_l("Client-id"), validators=[DataRequired(), Length(max=255)])
    deployment_ids = StringField(_l("Deployment-id's"), validators=[DataRequired(), Length(max=2000)],
                                 description=_l("Een of meer, gescheiden door spaties of komma's."))
    auth_login_url = StringField(_l("OIDC-inlog-URL (authorization endpoint)"),
                                 validators=[DataRequired(), Length(max=500)])
    auth_token_url = StringField(_l("Token-URL"), validators=[DataRequired(), Length(max=500)])
    keyset_url = StringField(_l("Keyset-URL (JWKS van de leeromgeving)"), validators=[DataRequired(), Length(max=500)])
    auth_audience = StringField(_l("Audience voor tokens"), validators=[Optional(), Length(max=500)],
                                description=_l("Alleen als de leeromgeving erom vraagt (Brightspace)."))
    frame_origins = TextAreaField(_l("Andere adressen van de leeromgeving"), validators=[Optional(), Length(max=2000)],
                                  description=_l("Adressen (https://...) waarop de leeromgeving JIM-training in een "
                                                 "frame toont, als die afwijken van de adressen hierboven."))
    submit = SubmitField(_l("Registreren"))


class DeepLinkForm(FlaskForm):
    """The lecturer's choice; the ticked items are read from the request (name "item")."""

    submit = SubmitField(_l("Toevoegen aan de cursus"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Verwijderen"))


class InviteForm(FlaskForm):
    """A Dynamic Registration address for one platform."""

    name = StringField(_l("Naam van de leeromgeving"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Registratie-adres maken"))
