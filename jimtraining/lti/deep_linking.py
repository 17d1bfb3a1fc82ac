"""Deep Linking 2.0: the lecturer picks modules, quizzes and scenarios; each becomes a link in the course with a
gradebook column (lineItem), and the platform gets them back in a JWT signed with the tool's key (with `kid`)."""

from __future__ import annotations

from dataclasses import dataclass

from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from jimtraining.extensions import db
from jimtraining.lti import domains
from jimtraining.lti.models import LtiContext, LtiPlatform
from jimtraining.lti.targets import TARGET_PARAMETER, parse_target
from jimtraining.lti.toolconf import JimRegistration
from jimtraining.web import absolute_url

#: Every gradebook column counts 0-100: a quiz's percentage, 100 for a completed module or scenario.
SCORE_MAXIMUM = 100
#: The line items' tag, so the tool's columns can be told apart in the platform.
LINE_ITEM_TAG = "jim-training"


@dataclass(frozen=True)
class Item:
    target: str
    kind: str
    title: str
    summary: str = ""


def items() -> list[Item]:
    """What can be linked: every active module, every active quiz, every active scenario."""
    found = []
    for module in domains.active_modules():
        found.append(Item(f"module:{module.slug}", "module", module.title, module.summary))
    for module in domains.active_modules():
        if module.active_quiz is not None:
            found.append(Item(f"quiz:{module.slug}", "quiz", module.active_quiz.title, module.title))
    for scenario in domains.active_scenarios():
        found.append(Item(f"scenario:{scenario.slug}", "scenario", scenario.title))
    return found


def chosen(values: list[str], multiple: bool) -> list[Item]:
    """The items a lecturer ticked that exist (one when the platform accepts one)."""
    by_target = {item.target: item for item in items()}
    picked = [by_target[value] for value in dict.fromkeys(values) if parse_target(value) and value in by_target]
    return picked[:1] if not multiple else picked


def _resource(item: Item, line_items: bool) -> DeepLinkResource:
    resource = (DeepLinkResource().set_url(absolute_url("lti.launch", target=item.target)).set_title(item.title)
                .set_custom_params({TARGET_PARAMETER: item.target}))
    if line_items:
        resource.set_lineitem(LineItem().set_score_maximum(SCORE_MAXIMUM).set_label(item.title)
                              .set_resource_id(item.target).set_tag(LINE_ITEM_TAG))
    return resource


def response_jwt(request_data: dict, picked: list[Item]) -> str:
    """The signed LtiDeepLinkingResponse for the platform."""
    platform = db.session.get(LtiPlatform, request_data["platform"])
    settings = {"deep_link_return_url": request_data["return_url"]}
    if request_data.get("data") is not None:
        settings["data"] = request_data["data"]
    deep_link = DeepLink(JimRegistration(platform), request_data["deployment_id"], settings)
    return deep_link.get_response_jwt([_resource(item, request_data.get("line_items", True)) for item in picked])


def show_in_cohort(request_data: dict, picked: list[Item]) -> None:
    """The class cohort's dashboard follows the modules that were linked (a quiz shows with its module)."""
    context = db.session.get(LtiContext, request_data["context"]) if request_data.get("context") else None
    if context is None:
        return
    slugs = [parse_target(item.target)[1] for item in picked if item.kind in ("module", "quiz")]
    domains.show_modules(context.cohort_id, slugs)
