"""Small helpers shared by the views."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """Only follow a redirect target that stays on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    return target


def has_nul_byte(values) -> bool:
    """True when any submitted value holds a NUL character, which no database column can store."""
    return any("\x00" in value for value in values)

