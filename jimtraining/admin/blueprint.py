"""The blueprint of the admin pages; its routes are in users.py, organisations.py and certification.py."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
