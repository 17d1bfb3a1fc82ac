"""Signals from lower layers to higher ones (blinker, as Flask's own signals): a domain announces that something
happened without importing whoever cares.

`progress_changed` is the one there is: a domain that writes a learner's progress with a Core statement (an
UPDATE or INSERT that the ORM's flush listener does not see) announces it, in the same transaction, and the
cohort dashboards' progress stamps (jimtraining/progress/stamps.py) renew those learners' tokens. ORM writes need
no announcement: the stamps' flush listener sees them.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with the SQLAlchemy session as sender and `user_ids`: learners whose progress figures a Core write changed.
learner_progress_written = _signals.signal("learner-progress-written")


def progress_changed(session, user_ids) -> None:
    """Announce a Core write that changed what the cohort dashboards count about these learners."""
    learner_progress_written.send(session, user_ids=list(user_ids))
