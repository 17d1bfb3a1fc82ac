"""A person's data export and the erasure of an account, both driven by the privacy registry."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from jimtraining.accounts.models import User
from jimtraining.accounts.personal_data import erased_email
from jimtraining.extensions import db
from jimtraining.jobs.services import forget_mails_to
from jimtraining.privacy.registry import (
    ERASE_LABELS,
    Erase,
    ErasureContext,
    active_entries,
    generic_rows,
    table,
)
from jimtraining.signals import progress_changed
from jimtraining.timeutil import utcnow

log = logging.getLogger(__name__)

#: Why an account is erased. A fixed list, not free text: the reason goes into the log, and a log must not hold
#: personal data (a free-text reason invites a name).
ERASE_REASONS = {
    "request": _l("Verzoek van de persoon zelf (recht op vergetelheid)"),
    "no_longer_needed": _l("Het account is niet meer nodig"),
    "duplicate": _l("Dubbel account"),
    "other": _l("Andere reden"),
}


class PrivacyError(Exception):
    """An erasure that cannot be done; the message is shown to the admin."""


def is_erased(user) -> bool:
    return user is not None and user.email == erased_email(user.id)


# Export ------------------------------------------------------------------------------------------------------

def export_user_data(user: User, now=None) -> dict:
    """Everything the platform holds about the person, as JSON-ready data, section by section."""
    now = now or utcnow()
    data = {"about": {
        "explanation": _("Dit zijn alle gegevens die JIM-training over jou bewaart, op het moment van downloaden. "
                         "Gegevens van anderen staan er niet in: bij rollenspelrondes waarin je speelde of "
                         "observeerde staat alleen dat je erbij was. De beoordeling van een ronde waarin jij de "
                         "professional was, staat erin zodra de trainer die heeft vrijgegeven."),
        "generated_at": now.isoformat(),
        "user_id": user.id,
    }}
    for entry in active_entries():
        if entry.export is not None:
            data.update(entry.export(user))
        elif entry.fields:
            data[entry.sections[0]] = generic_rows(entry, user.id)
    return data


# Erasure -----------------------------------------------------------------------------------------------------

@dataclass
class PreviewLine:
    title: str
    role: str
    action: str
    count: int


def erasure_preview(user: User) -> list[PreviewLine]:
    """What erasing the account would do, per kind of row that points at the person (only kinds with rows)."""
    lines = []
    for entry in active_entries():
        tbl = table(entry.table)
        for link in entry.links:
            count = db.session.scalar(select(func.count()).select_from(tbl).where(tbl.c[link.column] == user.id))
            if count:
                lines.append(PreviewLine(str(entry.title), str(link.role), str(ERASE_LABELS[link.erase]), count))
    return lines


def erase_user(user: User, by: User, reason: str, now=None) -> Counter:
    """Erase (anonymise) an account as docs/PRIVACY.md describes; returns the rows changed per kind.

    In one transaction: first the entries' before_erase steps (they need the original rows: names on
    certificates, the e-mail address on invitations), then every link of every entry, then the account row.
    Links are applied with core DELETE and UPDATE statements. For the audit log that is required: AuditEvent
    refuses ORM updates (it is append-only), and erasure is the one documented exception.
    """
    if user.id == by.id:
        raise PrivacyError(_("Je kunt je eigen account niet verwijderen. Vraag een andere beheerder."))
    if is_erased(user):
        raise PrivacyError(_("Dit account is al verwijderd."))
    if reason not in ERASE_REASONS:
        raise PrivacyError(_("Kies een reden."))
    ctx = ErasureContext(user_id=user.id, email=user.email.strip().lower(), by_id=by.id, now=now or utcnow())
    entries = active_entries()
    try:
        db.session.flush()
        for entry in entries:
            if entry.before_erase is not None:
                ctx.counts.update(entry.before_erase(ctx))
        # Mails waiting in the job queue, or failed and listed for admins, hold the address and the mail text.
        ctx.counts["job.delete"] += forget_mails_to(ctx.email)
        for entry in entries:
            tbl = table(entry.table)
            for link in entry.links:
                column = tbl.c[link.column]
                if link.erase is Erase.DELETE:
                    result = db.session.execute(tbl.delete().where(column == ctx.user_id))
                elif link.erase is Erase.UNLINK:
                    result = db.session.execute(update(tbl).where(column == ctx.user_id)
                                                .values({link.column: None, **link.blank}))
                elif link.erase is Erase.ANONYMISE and link.blank:
                    result = db.session.execute(update(tbl).where(column == ctx.user_id).values(link.blank))
                else:
                    continue
                ctx.counts[f"{entry.table}.{link.erase}"] += max(result.rowcount or 0, 0)
        progress_changed(db.session, [ctx.user_id])  # Core statements: the dashboards' listener does not see them
        # The ORM objects in this session still hold what the statements above changed.
        db.session.expire_all()
        for entry in entries:
            if entry.after_erase is not None:
                ctx.counts.update(entry.after_erase(ctx))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    totals = Counter()
    for key, count in ctx.counts.items():
        totals[key.rsplit(".", 1)[1]] += count
    # Ids and counts only: nothing of the erased person's data goes into the log.
    log.info("privacy: account %s erased by admin %s (reason: %s); rows deleted=%d anonymised=%d unlinked=%d",
             ctx.user_id, ctx.by_id, reason, totals["delete"], totals["anonymise"], totals["unlink"])
    return ctx.counts
