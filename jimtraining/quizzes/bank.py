"""Read and write a module's quiz.yml as plain data, for the import and export commands."""

from __future__ import annotations

from pathlib import Path

import yaml

DEFAULT_SETTINGS = {"title": "Toets", "pass_mark": 70, "max_attempts": 3, "shuffle_options": True,
                    "show_answers": "after_attempt"}


def read_bank(path: Path) -> dict:
    if path.exists():
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        if isinstance(data, dict):
            return data
    return {}


def merge_questions(path: Path, questions: list[dict]) -> dict:
    """Append imported questions to quiz.yml (ids made unique against the bank); returns the new bank."""
    bank = read_bank(path)
    existing = bank.get("questions") if isinstance(bank.get("questions"), list) else []
    used = {q.get("id") for q in existing if isinstance(q, dict)}
    for question in questions:
        base, number = question["id"], 2
        while question["id"] in used:
            question["id"] = f"{base}-{number}"
            number += 1
        used.add(question["id"])
    merged = existing + questions
    if not bank:
        bank = dict(DEFAULT_SETTINGS)
        bank["draw"] = min(6, len(merged))
    bank["questions"] = merged
    ordered = {key: bank[key] for key in ("title", "draw", "pass_mark", "max_attempts", "time_limit",
                                          "shuffle_options", "show_answers") if key in bank}
    ordered["questions"] = merged
    path.write_text(yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=110), encoding="utf-8")
    return ordered
