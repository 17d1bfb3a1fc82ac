"""URL converters shared by every blueprint."""

from werkzeug.routing import IntegerConverter

#: The largest id a database integer column holds; larger numbers in a URL are a 404, never a database error.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:cohort_id>`: a positive database id (1 to 2^31 - 1)."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID)


def register(app) -> None:
    app.url_map.converters["id"] = IdConverter
