"""The admin pages' blueprint with all its routes (importing the modules adds them)."""

from jimtraining.admin import calibration, certification, jobs, organisations, users  # noqa: F401 - they add the routes
from jimtraining.admin.blueprint import bp

__all__ = ["bp"]
