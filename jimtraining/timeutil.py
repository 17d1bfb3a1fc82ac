from datetime import UTC, datetime


def utcnow() -> datetime:
    """Timezone-aware now; stored as UTC in every database."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every moment we store is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
