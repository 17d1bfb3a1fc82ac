"""One frozen clock for every test that needs time to pass or to be somewhere else.

`clock` stops time (time-machine: datetime.now, time.time and what is built on them, in every module) at the
moment the test starts, or at `clock.move_to(moment)`; `clock.shift(...)` moves it forward. Python's monotonic
clock, which time-machine leaves alone, moves forward with it, so caches that count seconds with time.monotonic
see the time pass too. No test sleeps.
"""

import time
from datetime import datetime, timedelta

import pytest
import time_machine

from jimtraining.timeutil import utcnow


class Clock:
    def __init__(self, traveller, monkeypatch):
        self._traveller = traveller
        self._monotonic_offset = 0.0
        real_monotonic = time.monotonic
        monkeypatch.setattr(time, "monotonic", lambda: real_monotonic() + self._monotonic_offset)

    @property
    def now(self) -> datetime:
        """The frozen moment (timezone-aware, UTC); setting it is move_to."""
        return utcnow()

    @now.setter
    def now(self, moment: datetime) -> None:
        self.move_to(moment)

    def move_to(self, moment: datetime) -> None:
        """Put the clock at `moment` (forward or back); the monotonic clock moves forward by the difference, never
        back."""
        before = utcnow()
        self._traveller.move_to(moment, tick=False)
        self._monotonic_offset += max(0.0, (utcnow() - before).total_seconds())

    def shift(self, delta: timedelta | float) -> None:
        """Move the clock forward by `delta` (a timedelta, or seconds)."""
        seconds = delta.total_seconds() if isinstance(delta, timedelta) else float(delta)
        self._traveller.shift(seconds)
        self._monotonic_offset += max(0.0, seconds)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: clock.now (read or set), clock.move_to(datetime), clock.shift(timedelta or seconds)."""
    with time_machine.travel(utcnow(), tick=False) as traveller:
        yield Clock(traveller, monkeypatch)
