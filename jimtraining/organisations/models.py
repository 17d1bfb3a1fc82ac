"""The Organisation model and its kinds. Accounts and cohorts both point at an organisation; this package imports
neither of them."""

from flask_babel import lazy_gettext as _l

from jimtraining.extensions import db
from jimtraining.timeutil import utcnow

#: Kinds of organisation, key -> label shown to people.
ORGANISATION_KINDS = {
    "jeugdzorg": _l("Jeugdzorg"),
    "wijkteam": _l("Wijkteam"),
    "gemeente": _l("Gemeente"),
    "school": _l("School"),
    "hogeschool": _l("Hogeschool"),
    "anders": _l("Anders"),
}


class Organisation(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    #: Name as the organisation calls itself; unique nationally.
    name = db.Column(db.String(200), nullable=False, unique=True)
    #: One of ORGANISATION_KINDS.
    kind = db.Column(db.String(20), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)

    @property
    def kind_label(self):
        return ORGANISATION_KINDS.get(self.kind, self.kind)

    def __repr__(self):
        return f"<Organisation {self.name!r}>"
