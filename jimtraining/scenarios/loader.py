"""Read and check role-play scenarios: modules/scenarios/<slug>.yml (documented in modules/README.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from jimtraining.content.checks import MAX_SLUG, check_ids, file_slug, has_text, unknown_keys
from jimtraining.content.problems import Reporter
from jimtraining.content.yamlmap import read_yaml_file
from jimtraining.rendering import images_without_alt
from jimtraining.scenarios import analysis
from jimtraining.scenarios.engine import ConditionError, parse_condition
from jimtraining.scenarios.reference import check_reference_round
from jimtraining.scenarios.rubric import HIGHEST_LEVEL, LOWEST_LEVEL, RubricCutoff, cutoff_of

ROLE_KINDS = {"young_person", "parent", "jim", "professional", "referrer", "teacher", "other"}
WORK_CONTEXTS = {"jeugdhulp", "wijkteam", "participatiewet", "onderwijs", "dakloze-jongeren", "anders"}
TOP_KEYS = {"title", "summary", "work_context", "situation", "learning_goals", "roles", "rubric", "rubric_cutoff",
            "debrief", "practice", "reference_round"}
ROLE_KEYS = {"id", "name", "kind", "played_by", "trainee_brief", "actor_brief"}
ACTOR_BRIEF_KEYS = {"who", "feels_and_wants", "hides", "opens_up_when", "closes_down_when", "will_not_play"}
RUBRIC_KEYS = {"id", "criterion", "competence", "levels"}
CUTOFF_KEYS = {"min_level", "min_total"}
DEBRIEF_PHASES = ("reactions", "description", "analysis", "summary")
PRACTICE_KEYS = {"allow_back", "variables", "start", "nodes"}
NODE_KEYS = {"id", "text", "image", "choices", "redirect", "ending", "best", "title", "jimwerker"}
CHOICE_KEYS = {"text", "to", "feedback", "effects", "if"}


#: `content check` warns when one written position holds the best choice in more than this share of the nodes
#: that have one (and there are at least MIN_RANKED_NODES of those).
POSITION_SHARE_WARNING = 0.6
MIN_RANKED_NODES = 4
#: ... and when a learner who always takes the first choice on screen reaches the best ending this often or more.
FIRST_OPTION_WARNING = 0.25


@dataclass
class ScenarioFile:
    """A checked scenario file; its fields that are columns of scenarios.models.Scenario are what sync writes."""

    slug: str
    title: str
    work_context: str
    #: The checked file; each rubric criterion also carries `competence_name` from competences.yml.
    data: dict

    @property
    def cutoff(self) -> RubricCutoff | None:
        return cutoff_of(self.data)


def load_scenarios(folder: Path, module_slugs: set[str], problems: list, competences: dict | None = None,
                   warnings: list | None = None) -> list[ScenarioFile]:
    """Every scenario in modules/scenarios/, checked; problems are appended as path:line: message.

    `competences` (from competences.yml, by id) are what a rubric criterion's `competence` may name; when there is
    no competences.yml (None or empty) the names are not checked. `warnings` receives what deserves a look but
    does not stop the check: best choices written in one position, an easy best ending for a clicker.
    """
    if not folder.is_dir():
        return []
    scenarios = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yml", ".yaml") or path.is_dir():
            continue
        relpath = f"scenarios/{path.name}"
        scenario = _load(path, relpath, module_slugs, problems, competences or {},
                         warnings if warnings is not None else [])
        if scenario is not None:
            scenarios.append(scenario)
    return scenarios


def _load(path: Path, relpath: str, module_slugs: set[str], problems: list, competences: dict,
          warnings: list) -> ScenarioFile | None:
    slug = file_slug(path, relpath, problems)
    if slug is None:
        return None
    loaded = read_yaml_file(path, relpath, problems)
    if loaded is None:
        return None
    data, lines = loaded
    before = len(problems)
    report = Reporter(problems, relpath, lines)
    if not isinstance(data, dict):
        report((), _("een scenario bestaat uit velden (naam: waarde)"))
        return None
    unknown_keys(data, TOP_KEYS, (), report)
    for key in ("title", "summary", "situation"):
        if not has_text(data.get(key)):
            report((key,), _("'%(key)s' ontbreekt", key=key))
    _check_pictures(data.get("situation"), ("situation",), report)
    if data.get("work_context") not in WORK_CONTEXTS:
        report(("work_context",), _("'work_context' is een van: %(list)s", list=", ".join(sorted(WORK_CONTEXTS))))
    goals = data.get("learning_goals") or []
    if not isinstance(goals, list) or not goals:
        report(("learning_goals",), _("'learning_goals' noemt minstens één module (slug)"))
    else:
        for index, goal in enumerate(goals):
            if goal not in module_slugs:
                report(("learning_goals", index), _("onbekende module '%(slug)s'", slug=goal))
    _check_roles(data.get("roles"), report)
    _check_rubric(data.get("rubric"), competences, report)
    _check_cutoff(data.get("rubric_cutoff"), data.get("rubric"), report)
    _check_debrief(data.get("debrief"), report)
    _check_practice(data.get("practice"), report)
    check_reference_round(data.get("reference_round"), data.get("rubric"), report)
    if len(problems) != before:
        return None
    for criterion in data["rubric"]:
        known = competences.get(criterion["competence"])
        criterion["competence_name"] = known.name if known is not None else criterion["competence"].strip()
    try:
        _warn_about_choices(data["practice"], Reporter(warnings, relpath, lines))
    except RuntimeError:  # redirects that send each other round for ever: a learner would get an error page
        report(("practice",), _("een reeks 'redirect'-knopen komt nooit bij een knoop met tekst"))
        return None
    return ScenarioFile(slug=slug, title=data["title"].strip(), work_context=data["work_context"], data=data)


def _warn_about_choices(practice: dict, warn) -> None:
    """Warnings, not problems: the order on screen is shuffled per run, so a written position gives nothing away
    to a learner; it still shows an author's habit (and the written order is what a trainer sees in the choice
    overview). The clicker's chance is what acceptance asks; the shipped scenarios are held to it by a test."""
    bias = analysis.position_bias(practice)
    if bias is not None and bias.total >= MIN_RANKED_NODES and bias.count > POSITION_SHARE_WARNING * bias.total:
        warn(("practice", "nodes"), _(
            "de beste keuze (hoogste som van effecten) staat in %(count)s van %(total)s knopen op plek "
            "%(position)s: wissel de volgorde", count=bias.count, total=bias.total, position=bias.position))
    chance = analysis.first_option_chance(practice)
    if chance >= FIRST_OPTION_WARNING:
        warn(("practice",), _(
            "wie steeds de eerste keuze op het scherm neemt, haalt het beste einde in %(percent)s%% van de keren: "
            "maak de weg naar het beste einde minder voor de hand liggend", percent=round(chance * 100)))


def _check_pictures(markdown_text, where: tuple, report) -> None:
    """Pictures in the Markdown of a scenario need a description, as in lessons."""
    for target in images_without_alt(markdown_text) if isinstance(markdown_text, str) else []:
        report(where, _("afbeelding zonder alt-tekst: %(target)s", target=target))


def _check_roles(roles, report) -> None:
    if not isinstance(roles, list) or len(roles) < 2:
        report(("roles",), _("geef minstens twee rollen onder 'roles'"))
        return
    check_ids(roles, (), "roles", report, MAX_SLUG)
    professionals = 0
    for index, role in enumerate(roles):
        at = ("roles", index)
        if not isinstance(role, dict):
            continue
        unknown_keys(role, ROLE_KEYS, at, report)
        if not has_text(role.get("name")):
            report(at, _("elke rol heeft een 'name'"))
        if role.get("kind") not in ROLE_KINDS:
            report(at + ("kind",), _("'kind' is een van: %(list)s", list=", ".join(sorted(ROLE_KINDS))))
        if role.get("played_by") not in ("actor", "learner"):
            report(at + ("played_by",), _("'played_by' is actor of learner"))
        if not has_text(role.get("trainee_brief")):
            report(at, _("elke rol heeft een 'trainee_brief': wat de professional weet"))
        if role.get("kind") == "professional":
            professionals += 1
            if role.get("played_by") != "learner":
                report(at + ("played_by",), _("de professional wordt gespeeld door een deelnemer (learner)"))
        brief = role.get("actor_brief")
        if role.get("played_by") == "actor":
            if not isinstance(brief, dict):
                report(at, _("een rol voor een acteur heeft een 'actor_brief'"))
            else:
                unknown_keys(brief, ACTOR_BRIEF_KEYS, at + ("actor_brief",), report)
                for key in sorted(ACTOR_BRIEF_KEYS):
                    if not has_text(brief.get(key)):
                        report(at + ("actor_brief",), _("de actor_brief mist '%(key)s'", key=key))
        elif brief is not None:
            report(at + ("actor_brief",), _("alleen rollen met played_by: actor hebben een actor_brief"))
    if professionals != 1:
        report(("roles",), _("precies één rol heeft kind: professional"))


def _check_rubric(rubric, competences: dict, report) -> None:
    if not isinstance(rubric, list) or not rubric:
        report(("rubric",), _("'rubric' noemt minstens één criterium"))
        return
    check_ids(rubric, (), "rubric", report, MAX_SLUG)
    for index, item in enumerate(rubric):
        at = ("rubric", index)
        if not isinstance(item, dict):
            continue
        unknown_keys(item, RUBRIC_KEYS, at, report)
        if not has_text(item.get("criterion")) or not has_text(item.get("competence")):
            report(at, _("elk criterium heeft een 'criterion' en een 'competence'"))
        elif competences and item["competence"] not in competences:
            report(at + ("competence",), _("onbekende competentie '%(id)s': kies een id uit competences.yml "
                                          "(%(list)s)", id=item["competence"], list=", ".join(competences)))
        levels = item.get("levels")
        if not isinstance(levels, list) or len(levels) != 4 or not all(has_text(level) for level in levels):
            report(at + ("levels",), _("elk criterium heeft precies 4 niveaus, beschreven als gedrag"))


def _check_cutoff(cutoff, rubric, report) -> None:
    """rubric_cutoff: {min_level: 1-4, min_total: within what the rubric's criteria can add up to}."""
    at = ("rubric_cutoff",)
    if not isinstance(cutoff, dict):
        report(at, _("'rubric_cutoff' ontbreekt: wanneer is een ronde voldoende? (min_level en min_total)"))
        return
    unknown_keys(cutoff, CUTOFF_KEYS, at, report)
    count = len(rubric) if isinstance(rubric, list) else 0
    level, total = cutoff.get("min_level"), cutoff.get("min_total")
    if isinstance(level, bool) or not isinstance(level, int) or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
        report(at + ("min_level",), _("'min_level' is een heel getal van %(low)s tot %(high)s",
                                      low=LOWEST_LEVEL, high=HIGHEST_LEVEL))
        level = None
    if isinstance(total, bool) or not isinstance(total, int) or not (
            LOWEST_LEVEL * count <= total <= HIGHEST_LEVEL * count):
        report(at + ("min_total",), _("'min_total' is een heel getal van %(low)s tot %(high)s (%(n)s criteria "
                                      "met niveau 1 tot 4)", low=LOWEST_LEVEL * count, high=HIGHEST_LEVEL * count,
                                      n=count))
    elif level is not None and total < level * count:
        report(at + ("min_total",), _("'min_total' (%(total)s) is lager dan min_level × criteria (%(floor)s): "
                                      "zo telt hij nooit mee", total=total, floor=level * count))


def _check_debrief(debrief, report) -> None:
    if not isinstance(debrief, dict):
        report(("debrief",), _("'debrief' heeft vragen voor reactions, description, analysis en summary"))
        return
    unknown_keys(debrief, set(DEBRIEF_PHASES), ("debrief",), report)
    for phase in DEBRIEF_PHASES:
        questions = debrief.get(phase)
        if not isinstance(questions, list) or not questions or not all(has_text(q) for q in questions):
            report(("debrief", phase), _("'debrief' mist vragen voor '%(phase)s'", phase=phase))


def _check_practice(practice, report) -> None:
    if not isinstance(practice, dict):
        report(("practice",), _("'practice' (de oefenversie met keuzes) ontbreekt"))
        return
    at = ("practice",)
    unknown_keys(practice, PRACTICE_KEYS, at, report)
    variables = practice.get("variables") or []
    if not isinstance(variables, list):
        report(at + ("variables",), _("'variables' is een lijst"))
        variables = []
    declared = set(check_ids(variables, at, "variables", report, MAX_SLUG))
    nodes = practice.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        report(at + ("nodes",), _("'nodes' ontbreekt of is leeg"))
        return
    node_ids = check_ids(nodes, at, "nodes", report, MAX_SLUG)
    by_id = {n["id"]: (i, n) for i, n in enumerate(nodes) if isinstance(n, dict) and isinstance(n.get("id"), str)}
    start = practice.get("start")
    if start not in by_id:
        report(at + ("start",), _("'start' verwijst naar een knoop die niet bestaat: '%(id)s'", id=start))
        return

    def check_condition(condition, where):
        try:
            for name, _op, _value in parse_condition(condition):
                if name not in declared:
                    report(where, _("onbekende variabele '%(name)s'", name=name))
        except ConditionError:
            report(where, _("ongeldige voorwaarde '%(text)s' (vorm: variabele >= 2)", text=condition))

    edges: dict[str, list[str]] = {}
    for node_id in node_ids:
        index, node = by_id[node_id]
        where = at + ("nodes", index)
        unknown_keys(node, NODE_KEYS, where, report)
        targets = []
        _check_pictures(node.get("text"), where + ("text",), report)
        if node.get("ending"):
            if not has_text(node.get("title")) or not has_text(node.get("text")) or not has_text(node.get("jimwerker")):
                report(where, _("een einde heeft 'title', 'text' en 'jimwerker'"))
            if node.get("choices") or node.get("redirect"):
                report(where, _("een einde heeft geen keuzes"))
        elif node.get("redirect"):
            steps = node["redirect"]
            if not isinstance(steps, list) or not steps or "if" in (steps[-1] if isinstance(steps[-1], dict) else {}):
                report(where + ("redirect",), _("'redirect' is een lijst die eindigt met een stap zonder 'if'"))
            for step_index, step in enumerate(steps if isinstance(steps, list) else []):
                if not isinstance(step, dict):
                    continue
                if "if" in step:
                    check_condition(step["if"], where + ("redirect", step_index, "if"))
                targets.append((step.get("to"), where + ("redirect", step_index, "to")))
        else:
            choices = node.get("choices")
            if not has_text(node.get("text")):
                report(where, _("knoop '%(id)s' heeft geen 'text'", id=node_id))
            if not isinstance(choices, list) or not choices:
                report(where, _("knoop '%(id)s' loopt dood: geen keuzes en geen einde", id=node_id))
                choices = []
            for choice_index, choice in enumerate(choices):
                cwhere = where + ("choices", choice_index)
                if not isinstance(choice, dict):
                    continue
                unknown_keys(choice, CHOICE_KEYS, cwhere, report)
                if not has_text(choice.get("text")) or not has_text(choice.get("feedback")):
                    report(cwhere, _("elke keuze heeft 'text' en 'feedback'"))
                for name, change in (choice.get("effects") or {}).items():
                    if name not in declared:
                        report(cwhere + ("effects",), _("onbekende variabele '%(name)s'", name=name))
                    elif isinstance(change, bool) or not isinstance(change, int):
                        report(cwhere + ("effects",), _("een effect is een heel getal"))
                if "if" in choice:
                    check_condition(choice["if"], cwhere + ("if",))
                targets.append((choice.get("to"), cwhere + ("to",)))
        for target, twhere in targets:
            if target not in by_id:
                report(twhere, _("onbekend doel '%(id)s'", id=target))
        edges[node_id] = [t for t, _w in targets if t in by_id]

    reachable = _walk(start, edges)
    for node_id in node_ids:
        if node_id not in reachable:
            report(at + ("nodes", by_id[node_id][0]), _("knoop '%(id)s' is niet te bereiken vanaf het begin",
                                                           id=node_id))
    endings = {node_id for node_id in node_ids if by_id[node_id][1].get("ending")}
    if not endings:
        report(at + ("nodes",), _("het scenario heeft geen einde ('ending: true')"))
        return
    best = [node_id for node_id in node_ids if by_id[node_id][1].get("best") is True]
    for node_id in node_ids:
        node = by_id[node_id][1]
        if "best" in node and (node.get("best") is not True or not node.get("ending")):
            report(at + ("nodes", by_id[node_id][0], "best"), _("alleen een einde kan 'best: true' hebben"))
    if len(best) != 1:
        report(at + ("nodes",), _("precies één einde heeft 'best: true': het einde waar een JIMwerker naartoe "
                                  "werkt"))
    reverse: dict[str, list[str]] = {node_id: [] for node_id in node_ids}
    for source, targets in edges.items():
        for target in targets:
            reverse[target].append(source)
    can_finish = set()
    for ending in endings:
        can_finish |= _walk(ending, reverse)
    for node_id in sorted(reachable - can_finish, key=lambda n: by_id[n][0]):
        report(at + ("nodes", by_id[node_id][0]), _(
            "vanaf knoop '%(id)s' is geen einde te bereiken (een lus zonder uitweg)", id=node_id))


def _walk(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for target in edges.get(todo.pop(), []):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen
