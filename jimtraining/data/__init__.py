"""Small data files shipped with the code."""

from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def _lines(name: str) -> tuple[str, ...]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=None)
def regions() -> tuple[str, ...]:
    return _lines("regions.txt")


@lru_cache(maxsize=None)
def dutch_password_words() -> tuple[str, ...]:
    return _lines("dutch_password_words.txt")
