"""What a link opens: "module:<slug>", "quiz:<slug>" or "scenario:<slug>".

A launch names it in the custom parameter `jim_target` (Deep Linking puts it there), or as `?target=` on the launch
address (a link made by hand). The same name is the resourceId of the link's gradebook column.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from flask import url_for

from jimtraining.lti import domains

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
#: The custom parameter (and launch URL query parameter) that names what a link opens.
TARGET_PARAMETER = "jim_target"
_TARGET = re.compile(r"^(module|quiz|scenario):([a-z0-9][a-z0-9-]{0,99})$")


def parse_target(value: str | None) -> tuple[str, str] | None:
    match = _TARGET.match((value or "").strip())
    return (match.group(1), match.group(2)) if match else None


def target_of(body: dict) -> str | None:
    """What the launch asks to open: the custom parameter, else ?target= on the target link URI."""
    custom = body.get(LTI + "custom") or {}
    candidates = [custom.get(TARGET_PARAMETER) if isinstance(custom, dict) else None]
    query = parse_qs(urlsplit(str(body.get(LTI + "target_link_uri") or "")).query)
    candidates += query.get("target", []) + query.get(TARGET_PARAMETER, [])
    for candidate in candidates:
        if parse_target(candidate):
            return candidate.strip()
    return None


def target_url(target: str | None) -> str | None:
    """The page of a module, quiz or scenario that exists; None otherwise."""
    parsed = parse_target(target)
    if parsed is None:
        return None
    kind, slug = parsed
    if kind == "scenario":
        return url_for("scenarios.show", slug=slug) if domains.scenario(slug) else None
    module = domains.module(slug)
    if module is None:
        return None
    if kind == "quiz":
        return url_for("quizzes.quiz", module_slug=slug) if module.active_quiz is not None else None
    return url_for("curriculum.module", slug=slug)


def target_title(target: str) -> str:
    kind, slug = parse_target(target)
    if kind == "scenario":
        found = domains.scenario(slug)
        return found.title if found else slug
    module = domains.module(slug)
    if module is None:
        return slug
    return module.active_quiz.title if kind == "quiz" and module.active_quiz is not None else module.title
