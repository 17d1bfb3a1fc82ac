"""Every required <select> has a placeholder option with an empty value first (issue 14, item 21).

The HTML rule (WHATWG, checked by the Nu HTML Checker): a `select` with `required`, without `multiple` and with a
display size of 1 must have a *placeholder label option*: its first option is a direct child of the select (not
inside an optgroup) and its value is the empty string. Without it the browser's own check cannot tell "nothing
chosen" from a choice, and the Nu checker reports an error.
"""

import inspect
import pkgutil
import re
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, widgets
from wtforms.validators import DataRequired, InputRequired

import jimtraining
from jimtraining.extensions import db

TEMPLATES = Path(jimtraining.__file__).resolve().parent.parent / "templates"

#: The required selects of the app's forms, with the page each is shown on (tested below).
REQUIRED_SELECTS = {
    ("LicenceForm", "user_id"): "/admin/licences",
    ("EraseForm", "reason"): "/admin/users/{learner}/erase",
    # Issue 19 item 2: what the course unit does not state, the lecturer chooses; never a silent default.
    ("EdubadgesForm", "eqf_level"): "/cohorts/{cohort}/edubadges",
    ("EdubadgesForm", "assessment_type"): "/cohorts/{cohort}/edubadges",
    ("EdubadgesForm", "participation"): "/cohorts/{cohort}/edubadges",
    ("TokenForm", "organisation_id"): "/admin/api-tokens",
}


class _Selects(HTMLParser):
    """Collects, per required single select: its id and (tag, parent, value, text) of its first child element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.selects: list[dict] = []
        self._open: dict | None = None
        self._stack: list[str] = []
        self._option: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select":
            size = attributes.get("size") or "1"
            required = "required" in attributes and "multiple" not in attributes and size.strip() in ("", "1")
            self._open = {"id": attributes.get("id"), "required": required, "first": None}
            self.selects.append(self._open)
            self._stack = []
            return
        if self._open is None:
            return
        if self._open["first"] is None:
            parent = self._stack[-1] if self._stack else "select"
            self._open["first"] = {"tag": tag, "parent": parent, "value": attributes.get("value"), "text": ""}
            if tag == "option":
                self._option = self._open["first"]
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "select":
            self._open, self._option = None, None
        elif self._open is not None:
            if tag == "option":
                self._option = None
            if self._stack and self._stack[-1] == tag:
                self._stack.pop()

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data


def required_select_problems(html: str) -> list[str]:
    """What breaks the placeholder rule on a page (empty when every required select keeps it)."""
    parser = _Selects()
    parser.feed(html)
    problems = []
    for select in parser.selects:
        if not select["required"]:
            continue
        first = select["first"]
        if first is None or first["tag"] != "option" or first["parent"] != "select":
            problems.append(f"select#{select['id']}: the first child is not an option of the select itself")
            continue
        value = first["value"] if first["value"] is not None else first["text"].strip()
        if value != "":
            problems.append(f"select#{select['id']}: the first option has value {value!r}, not an empty value")
    return problems


def test_the_checker_finds_what_the_nu_checker_reports():
    """The rule as the helper reads it (so the page tests below can fail)."""
    bad = '<select id="a" required><option value="0">— kies —</option><option value="1">X</option></select>'
    assert required_select_problems(bad) == ["select#a: the first option has value '0', not an empty value"]
    no_value = '<select id="b" required><option>— kies —</option></select>'
    assert required_select_problems(no_value) == ["select#b: the first option has value '— kies —', not an empty value"]
    in_group = '<select id="c" required><optgroup label="g"><option value="">—</option></optgroup></select>'
    assert required_select_problems(in_group) == ["select#c: the first child is not an option of the select itself"]
    assert required_select_problems('<select id="d" required></select>') == [
        "select#d: the first child is not an option of the select itself"]
    fine = ('<select id="e" required><option value="">— kies —</option><option value="1">X</option></select>'
            '<select id="f" required multiple><option value="1">X</option></select>'
            '<select id="g" required size="4"><option value="1">X</option></select>'
            '<select id="h"><option value="1">X</option></select>'
            '<select id="i" required><option></option><option value="1">X</option></select>')
    assert required_select_problems(fine) == []


@pytest.fixture
def admin_pages(client_for, make_user, make_cohort):
    from tests.support.certification import make_track

    admin = make_user(role="admin")
    make_user(role="trainer", name="Tessa Trainer")
    learner = make_user(name="Lotte Leerling")
    make_track()
    cohort = make_cohort(learners=[learner], track_slug="jimwerker")
    return client_for(admin), {"learner": learner.id, "cohort": cohort.id}


@pytest.mark.parametrize(("form", "field"), sorted(REQUIRED_SELECTS))
def test_item_21_every_required_select_starts_with_an_empty_placeholder(admin_pages, form, field):
    """Issue 14, item 21: /admin/licences rendered its trainer select with a placeholder of value "0"; every page
    with a required select keeps the rule, also after a refused submit."""
    client, ids = admin_pages
    url = REQUIRED_SELECTS[(form, field)].format(**ids)
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(rf'<select[^>]*id="{field}"[^>]*required', html), f"{url}: #{field} is not a required select"
    assert required_select_problems(html) == []
    placeholder = html.split(f'id="{field}"', 1)[1].split("</select>")[0]
    assert re.search(r'^[^>]*>\s*<option selected value="">', placeholder), "the placeholder is not chosen"
    refused = client.submit(url, {}, page=url)
    assert refused.status_code in (200, 400, 422)
    assert required_select_problems(refused.get_data(as_text=True)) == []


def test_item_21_choosing_nothing_on_the_licence_form_says_what_to_do(admin_pages):
    client, _ids = admin_pages
    refused = client.submit("/admin/licences", {"user_id": "", "months": "24"}, page="/admin/licences")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="user_id-error"' in html and "Kies een trainer." in html
    assert "Not a valid choice" not in html and "Invalid Choice" not in html


def test_a_licence_can_still_be_given_after_the_placeholder_changed(admin_pages):
    from jimtraining.accounts.models import User
    from jimtraining.certification.services import valid_licence

    client, _ids = admin_pages
    trainer = db.session.scalar(db.select(User).where(User.name == "Tessa Trainer"))
    response = client.submit("/admin/licences", {"user_id": str(trainer.id), "months": "12"}, page="/admin/licences")
    assert response.status_code == 302
    assert valid_licence(trainer) is not None


def _form_classes():
    for module in pkgutil.walk_packages(jimtraining.__path__, "jimtraining."):
        if module.name.endswith(".forms"):
            import_module(module.name)
    seen, todo = set(), [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen and sub.__module__.startswith("jimtraining."):
                seen.add(sub)
                todo.append(sub)
    return seen


def test_every_required_select_of_the_app_is_on_the_list_above():
    """A new required SelectField (or a raw <select required> in a template) must be added to REQUIRED_SELECTS,
    so the test above renders it and checks its placeholder."""
    found = set()
    for form in _form_classes():
        for name, unbound in inspect.getmembers(form):
            field_class = getattr(unbound, "field_class", None)
            if not (isinstance(field_class, type) and issubclass(field_class, SelectField)) \
                    or issubclass(field_class, SelectMultipleField):
                continue
            if not isinstance(unbound.kwargs.get("widget") or field_class.widget, widgets.Select):
                continue  # a RadioField: radio buttons, no <select>
            validators = list(unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else []))
            if any(isinstance(v, (DataRequired, InputRequired)) for v in validators) \
                    or (unbound.kwargs.get("render_kw") or {}).get("required"):
                found.add((form.__name__, name))
    assert found == set(REQUIRED_SELECTS)
    raw = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
           if re.search(r"<select\b[^>]*\brequired\b", path.read_text(encoding="utf-8"))]
    assert raw == []
