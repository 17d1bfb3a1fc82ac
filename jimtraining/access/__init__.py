"""Who may do what: role gates for views, and named per-object rules with loaders that answer 404, then 403.

Every rule of the platform is here, in one package: this module holds the machinery and the rules about roles
alone; `access/<domain>.py` holds the rules and loaders about one domain's objects (a cohort, a quiz attempt, a
live round...). A rule carries its whole condition: a view or template that asks it needs no second check.

    @rule("cohort.manage")
    def manage_cohort(user, cohort) -> bool:
        ...

    cohort = cohort_or_404(cohort_id)              # in a view: 404 when it does not exist, 403 when not allowed
    {% if can("cohort.manage", cohort) %}          # in a template: the same rule

Rules never see an anonymous user: `can` answers False for them before a rule runs. The pattern follows FlaskBB's
`utils/requirements.py` (named requirements) and indico's `_process_args` / `_check_access` (load, then check).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from jimtraining.extensions import db
from jimtraining.roles import Role


class Rule:
    """A named condition on (user, object). Call it as `rule(user, obj)`; anonymous users are refused."""

    def __init__(self, name: str, check: Callable):
        self.name, self.check = name, check
        self.__doc__ = check.__doc__

    def __call__(self, user, obj=None) -> bool:
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return bool(self.check(user, obj) if obj is not None else self.check(user))

    def __repr__(self) -> str:
        return f"<Rule {self.name}>"


#: Every rule by name (filled as the access modules are imported; create_app imports them all).
RULES: dict[str, Rule] = {}


def rule(name: str):
    """Register a function (user, obj) -> bool, or (user) -> bool for a rule about the person alone, as a Rule."""

    def register(check: Callable) -> Rule:
        if name in RULES:
            raise ValueError(f"access rule {name!r} is defined twice")
        RULES[name] = made = Rule(name, check)
        return made

    return register


def can(name: str | Rule, obj=None, user=None) -> bool:
    """Whether `user` (default: the person of this request) may do `name` with `obj`. Also a template global."""
    found = name if isinstance(name, Rule) else RULES[name]  # an unknown name is a programming error: KeyError
    return found(current_user if user is None else user, obj)


def require(name: str | Rule, obj=None) -> None:
    """403 unless the person of this request may do `name` with `obj`."""
    if not can(name, obj):
        abort(403)


def get_or_404(model, ident, need: str | Rule | None = None):
    """Load a row by primary key (404 when it does not exist), then check `need` on it (403)."""
    obj = db.get_or_404(model, ident)
    if need is not None:
        require(need, obj)
    return obj


# Role gates for views ---------------------------------------------------------------------------------------

def roles_required(*roles: Role):
    """Allow only logged-in users whose role is listed; others get 403 (anonymous users go to the login)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


admin_required = roles_required(Role.ADMIN)
trainer_required = roles_required(Role.TRAINER, Role.ADMIN)


# Rules about the person alone -------------------------------------------------------------------------------

@rule("users.manage")
def manage_users(user) -> bool:
    """Admins manage accounts, organisations, licences and certificates."""
    return user.role == Role.ADMIN


@rule("content.see_all")
def see_all_content(user) -> bool:
    """Trainers and admins review the curriculum without prerequisites locking them out."""
    return user.role in (Role.TRAINER, Role.ADMIN)


@rule("quizzes.review")
def review_quizzes(user) -> bool:
    """Trainers and admins open the quiz pages; trainers then see only the learners of their own cohorts."""
    return user.role in (Role.TRAINER, Role.ADMIN)


def template_globals() -> dict:
    """What templates get: `can(...)` and `Role`."""
    return {"can": can, "Role": Role}


@rule("content.export")
def export_content(user) -> bool:
    """Lecturers (trainers of a hogeschool class) and admins download the curriculum as a Common Cartridge for their
    own learning platform; trainers have the same role as lecturers, so they may too."""
    return user.role in (Role.TRAINER, Role.ADMIN)
