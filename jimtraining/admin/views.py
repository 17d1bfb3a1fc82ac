"""The admin pages' blueprint with all its routes (importing the modules adds them)."""

from jimtraining.admin import certification, organisations, users  # noqa: F401 - importing them adds the routes
from jimtraining.admin.blueprint import bp

__all__ = ["bp"]
