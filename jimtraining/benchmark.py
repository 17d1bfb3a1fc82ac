"""Bench mode (``JIM_BENCH=1``, used by ``make bench`` only; refused in production).

It adds what the load test needs and a normal installation must not have:

- ``/bench/baseline``: the yardstick page. It renders 20 rows from one table inside the same base template as
  every other page, for a logged-in user, so the bench can say what a page costs compared with a minimal one.
- An ``X-SQL-Queries`` response header with the number of SQL statements the request ran.

Login throttling is switched off in bench mode (config.from_environment): the bench logs in hundreds of accounts
from one address, and it measures pages, not the throttle.
"""

from flask import Blueprint, g, has_request_context, render_template
from flask_login import login_required
from sqlalchemy import event, select

from jimtraining.extensions import db

bp = Blueprint("bench", __name__, url_prefix="/bench")

#: How many rows the baseline page shows.
BASELINE_ROWS = 20


@bp.route("/baseline")
@login_required
def baseline():
    from jimtraining.organisations.models import Organisation

    rows = db.session.scalars(select(Organisation).order_by(Organisation.name).limit(BASELINE_ROWS)).all()
    return render_template("bench/baseline.html", rows=rows)


def register(app) -> None:
    """Add the baseline page and the query counter to an app that runs in bench mode."""
    if app.config.get("PRODUCTION"):
        raise RuntimeError("JIM_BENCH is for the benchmark only; it cannot be used with JIM_ENV=production.")
    app.register_blueprint(bp)

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, _statement, _parameters, _context, _executemany):
        if has_request_context():
            g.sql_queries = g.get("sql_queries", 0) + 1

    @app.after_request
    def _query_header(response):
        response.headers["X-SQL-Queries"] = str(g.get("sql_queries", 0))
        return response
