"""The scopes a token can carry. Every scope is read-only: the API changes nothing."""

from flask_babel import lazy_gettext as _l

PROFESSIONALS = "professionals:read"
COHORTS = "cohorts:read"
NATIONAL = "national:read"

#: scope -> what it lets a token read (shown on the token page and the documentation page).
SCOPES = {
    PROFESSIONALS: _l("De professionals van de organisatie, hun certificaten en hun voortgang per traject"),
    COHORTS: _l("De groepen van de organisatie en hun bijeenkomsten"),
    NATIONAL: _l("De landelijke cijfers (zonder persoonsgegevens)"),
}
