"""Small data files shipped with the code."""

from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def _lines(name: str) -> tuple[str, ...]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def regions() -> tuple[str, ...]:
    return _lines("regions.txt")


@cache
def dutch_password_words() -> tuple[str, ...]:
    return _lines("dutch_password_words.txt")
