"""Who may do what: role gates for views and per-object predicates, also available in templates."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles: str):
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


admin_required = roles_required("admin")
trainer_required = roles_required("trainer", "admin")


def can_manage_users(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "admin")


def sees_all_content(user) -> bool:
    """Trainers and admins review the curriculum without prerequisites locking them out."""
    return bool(user and user.is_authenticated and user.role in ("trainer", "admin"))


def can_review_quizzes(user) -> bool:
    """Trainers and admins open the quiz pages; trainers then see only the learners of their own cohorts."""
    return bool(user and user.is_authenticated and user.role in ("trainer", "admin"))


def can_view_attempt(user, attempt) -> bool:
    return bool(user and user.is_authenticated and (attempt.user_id == user.id or can_review_quizzes(user)))


TEMPLATE_PREDICATES = {
    "can_manage_users": can_manage_users,
    "sees_all_content": sees_all_content,
    "can_review_quizzes": can_review_quizzes,
}
