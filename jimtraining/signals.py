"""Signals that let a lower layer tell a higher one that something happened, without importing it.

`progress_written` is sent by a domain that changes a learner's figures with a Core statement (an UPDATE or INSERT
the ORM's flush listener does not see), inside the transaction, before the commit:

    progress_written.send(db.session, user_ids=[user_id])

The progress stamps (jimtraining/cohorts/stamps.py) receive it and renew those learners' progress tokens in the
same transaction, as `progress_changed(session, user_ids)` does.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: the SQLAlchemy session of the write; user_ids: the learners whose figures changed.
progress_written = _signals.signal("progress-written")
