"""The answer fields of a quiz attempt page, for the load test and the concurrency check."""

from html.parser import HTMLParser

#: What the bench writes into an open question.
OPEN_ANSWER = "Ik laat de jongere zelf kiezen wie de JIM wordt en ik werk gelijkwaardig met de JIM samen."


class FormFields(HTMLParser):
    """The answer fields of a quiz attempt page, filled in the way a hurried learner would: the first option of
    every choice, a different option in each list of an ordering or matching question, a short open answer."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.selects: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "input" and name.startswith("q-"):
            if attrs.get("type") in ("radio", "checkbox"):
                self.values.setdefault(name, [attrs.get("value", "")])
            else:
                self.values.setdefault(name, ["1"])
        elif tag == "select" and name.startswith("q-"):
            self._select = name
            self.selects.setdefault(name, [])
        elif tag == "option" and self._select and attrs.get("value"):
            self.selects[self._select].append(attrs["value"])
        elif tag == "textarea" and name.startswith("q-"):
            self.values[name] = [OPEN_ANSWER]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def filled(self) -> dict[str, list[str]]:
        values = dict(self.values)
        seen: dict[str, int] = {}
        for name, options in self.selects.items():
            question = name.split(":", 1)[0]
            index = seen.get(question, 0)
            seen[question] = index + 1
            if options:
                values[name] = [options[index % len(options)]]
        return values


def answer_fields(html: str) -> dict[str, list[str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.filled()
