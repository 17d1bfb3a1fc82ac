"""The blueprint of the cohort pages; its routes are in groups.py, invitations.py and sessions.py."""

from flask import Blueprint

bp = Blueprint("cohorts", __name__)
