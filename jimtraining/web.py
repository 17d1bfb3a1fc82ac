"""Small helpers shared by the views."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only follow a redirect target that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
