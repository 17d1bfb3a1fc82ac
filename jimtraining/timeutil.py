from datetime import datetime, timezone


def utcnow() -> datetime:
    """Timezone-aware now; stored as UTC in every database."""
    return datetime.now(timezone.utc)
