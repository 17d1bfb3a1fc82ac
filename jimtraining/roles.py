"""The four roles. A role is never built by inheriting a broader one: each gate and rule names its roles.

`Role` is a StrEnum: it is stored as its plain value ("trainer") and compares equal to it, so the column stays a
string, while code and templates (`Role` is a template global) name roles without typing strings.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ACTOR = "actor"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.LEARNER: _l("Deelnemer"),
    Role.TRAINER: _l("Trainer"),
    Role.ACTOR: _l("Trainingsacteur"),
    Role.ADMIN: _l("Beheerder"),
}
