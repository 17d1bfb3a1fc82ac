"""What each kind of job does: handlers registered by the packages that own the work (mailing registers "mail";
the certificate documents register from above), so this package needs to import none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Handler:
    func: Callable[[dict], None]
    #: Whether doing it twice is harmless. A mail is not: a worker that stopped while sending one leaves it
    #: UNCERTAIN for an admin instead of sending it again. Drawing a document is: it is simply drawn again.
    repeatable: bool


HANDLERS: dict[str, Handler] = {}


def handler(kind: str, *, repeatable: bool):
    """Register `func(payload)` as what a job of this kind does."""
    def register(func):
        HANDLERS[kind] = Handler(func, repeatable)
        return func
    return register
