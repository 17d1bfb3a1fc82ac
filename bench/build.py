"""Build the benchmark data set: the platform at ten times national scale, fast and the same on every run.

    .venv/bin/python -m bench.build --database-url URL --manifest PATH [--seed 20261201] [--today YYYY-MM-DD]

The database is the bench's own and starts from nothing: the SQLite file is deleted, or on PostgreSQL the public
schema is dropped. The schema comes from the real migrations and the curriculum from modules/ through the same
function `flask content sync` calls. Everything else is generated here, with ids chosen here, the way the app's
services would have written it: 30,000 professionals in 1,200 cohorts of the JIMwerker track over the past three
years and a bit, their lessons, quiz attempts and answers, sessions and attendance, live role-play rounds with
scores, practice assignments, 20,000 certificates and the audit log.

How it stays fast (about 2.6 million rows and a gigabyte of drawn-question JSON): the columns and their types come
from the app's SQLAlchemy metadata, but the rows skip SQLAlchemy's per-value processing. They are turned into the
values SQLAlchemy would store (see _converter) and sent to a second process that writes them in big batches with
the DB-API: sqlite3 executemany (no journal, no fsync, foreign keys checked) or PostgreSQL COPY (foreign-key
triggers off while loading, every reference checked afterwards; the quiz attempts on a connection of their own).

Every person, organisation and text is invented. A fixed random.Random(seed) decides everything; times are counted
from the start (00:00 UTC) of the build day, or of --today, so two runs on the same day write the same rows.

The manifest (JSON) names the accounts the load test uses; see `reserve` for what each group is guaranteed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import logging
import os
import random
import re
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

PASSWORD = "bench-JIM-wachtwoord-2026"
ADMIN_EMAIL = "admin@bench.example.org"
DOMAIN = "bench.example.org"
DEFAULT_SEED = 20261201
LOCAL = ZoneInfo("Europe/Amsterdam")
TRACK = "jimwerker"

N_ORGANISATIONS = 300
N_TRAINERS = 150
N_ACTORS = 60
N_LEARNERS = 30_000
N_COHORTS = 1200
N_RUNNING = 230
N_PLANNED = 120
N_FINISHED = N_COHORTS - N_RUNNING - N_PLANNED
N_TRAINER_COHORTS = 30
TRAINER_COHORT_SIZE = 30
N_CERTIFICATES = 20_000
N_REVOKED = 300
N_BROWSERS = 500
N_SUBMITTERS = 2000
N_CONCURRENT = 300
N_ANSWERERS = 50
N_CODES = 1000
ROUNDS_PER_TRAINER = 5

#: Rows kept in memory before they are written (all tables, parents first).
FLUSH_AT = 60_000
CHUNK = 10_000

NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as jimtraining.certification.services
JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as jimtraining.cohorts.enrolment

# Invented people and places -------------------------------------------------------------------------------------

FIRST_NAMES = [
    "Anouk", "Bram", "Daan", "Eline", "Fleur", "Gijs", "Hanna", "Iris", "Jesse", "Julia", "Koen", "Lieke", "Lotte",
    "Luuk", "Maud", "Milan", "Nina", "Noor", "Olaf", "Pien", "Quinten", "Roos", "Ruben", "Sanne", "Sem", "Thijs",
    "Tess", "Vera", "Wouter", "Yara", "Zoë", "Amira", "Ayoub", "Bilal", "Chaima", "Dewi", "Emre", "Fatima",
    "Hamza", "Imane", "Kerem", "Layla", "Mehmet", "Nadia", "Rayan", "Samira", "Yusuf", "Esra", "Mila", "Jasper",
    "Floor", "Stijn", "Merel", "Joris", "Femke", "Niels", "Marloes", "Bas", "Ilse", "Rik", "Kim", "Tom", "Lisa",
    "Tim", "Eva", "Sven", "Demi", "Jelle", "Nienke", "Hugo", "Isa", "Mees", "Saar", "Teun", "Puck", "Jurre",
    "Linde", "Wessel", "Marit", "Thomas", "Annelies", "Gerben", "Hester", "Kees", "Ria", "Henk", "Ineke", "Marco",
]
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "Kok", "Jacobs", "van den Berg", "Willems", "van Dijk", "Schouten", "Hoekstra", "Kuipers",
    "Veenstra", "Postma", "Huisman", "Bosman", "Prins", "Blom", "Verhoeven", "Koster", "Kaya", "Yilmaz",
    "El Amrani", "Ouali", "Aydın", "Bennani", "Demir", "Çelik", "Boukhari", "Sahin", "van Wijk", "Wouters",
    "Kramer", "Hermans", "de Jong", "Koning", "Maas", "van Beek", "Verbeek", "Sanders", "Lammers", "Timmermans",
    "Groen", "Gerritsen", "van Vliet", "Bouwman", "Mol", "Boon", "Hofman", "Dam", "Scholten", "Bijl", "Brink",
    "Evers", "Kroon", "Wolters", "Rietveld", "Jonker", "Nijhuis", "Kamphuis", "Westra", "Zijlstra", "Terpstra",
]
PLACE_STEMS = [
    "Linde", "Hazel", "Eiken", "Beuken", "Wilgen", "Veen", "Heide", "Molen", "Vogel", "Duin", "Klaver", "Riet",
    "Berken", "Elzen", "Hooi", "Kraan", "Rozen", "Zwanen", "Mos", "Bloem", "Haver", "Rogge", "Lijster", "Meeuwen",
    "Kievit", "Esker", "Wolden", "Ganzen", "Vlinder", "Otter",
]
PLACE_SUFFIXES = ["waard", "horst", "hoven", "broek", "veld", "rade", "lo", "stede", "oord", "weide", "akker",
                  "hage", "kamp", "zijl", "wolde"]
ORGANISATION_PATTERNS = {
    "jeugdzorg": ["Jeugdzorg {p}", "Stichting Jeugdhulp {p}", "Jeugd en Gezin {p}", "Jeugdhulp {p} e.o."],
    "wijkteam": ["Wijkteam {p}", "Sociaal Wijkteam {p} {d}", "Buurtteam {p}"],
    "gemeente": ["Gemeente {p}", "Gemeente {p}, Jongerenloket"],
    "school": ["Scholengroep {p}", "{p} College", "Lyceum {p}", "Vakcollege {p}"],
    "hogeschool": ["Hogeschool {p}", "Hogeschool {p}, Sociaal Werk"],
    "anders": ["Stichting Thuisbasis {p}", "Jongerenopvang {p}", "Stichting Onderdak {p}"],
}
DIRECTIONS = ["Noord", "Oost", "Zuid", "West", "Centrum"]
KIND_WEIGHTS = {"jeugdzorg": 36, "wijkteam": 26, "gemeente": 16, "school": 10, "hogeschool": 4, "anders": 8}
#: The work context that goes with an organisation kind (people of an organisation mostly work in it).
KIND_CONTEXT = {"jeugdzorg": "jeugdhulp", "wijkteam": "wijkteam", "gemeente": "participatiewet",
                "school": "onderwijs", "hogeschool": "opleiding", "anders": "dakloze-jongeren"}

# Invented texts ---------------------------------------------------------------------------------------------------

SESSION_TITLES = ["Start: wat is een JIM?", "Een JIM vinden: oefenen met trainingsacteurs",
                  "Op je handen zitten: rollenspel en nabespreken", "Samen met het netwerk: terugkijken en afronden"]
AGENDAS = [
    "- Welkom en kennismaken\n- Wat is een JIM, en wie kiest?\n- Afspraken voor de training",
    "- Terugblik op de modules\n- Sketch met trainingsacteurs\n- Nabespreken in tweetallen",
    "- Opwarmen: open vragen stellen\n- Rollenspellen in kleine groepen\n- Feedback van de acteurs",
    "- Rollenspellen\n- Praktijkopdracht bespreken\n- Afsluiten en vervolg",
]
LOCATIONS = ["Zaal {n}, {org}", "Vergaderruimte {n}, {org}", "Lokaal {n}.{m}, {org}", "Trainingsruimte {n}, {org}"]
TRAINER_COMMENTS = [
    "Je liet de jongere zelf kiezen en vatte goed samen wat je hoorde.",
    "Mooi dat je eerst vroeg wat de JIM ziet, voordat je je eigen plan noemde.",
    "Je kwam snel met een oplossing; probeer langer stil te blijven.",
    "Goede open vragen over wie er om de jongere heen staan.",
    "Toen het spannend werd, nam je het gesprek over. Let daar op.",
    "Rustig tempo: de jongere kreeg ruimte om na te denken.",
    "Je gaf de JIM een duidelijke plek aan tafel.",
    "Let op vaktaal: de jongere haakte even af bij 'perspectiefplan'.",
]
SELF_COMMENTS = ["Ik merkte dat ik snel wilde helpen.", "Ik vond het lastig om stil te zijn.",
                 "Ik heb vooral vragen gesteld, dat ging beter dan vorige keer.", ""]
PEER_COMMENTS = ["Je bleef rustig, ook toen de jongere boos werd.", "Veel open vragen, mooi.",
                 "Je gaf nog best veel advies.", ""]
ACTOR_FEEDBACK = [
    "Als jongere voelde ik me gehoord toen je vroeg wie ik zelf zou kiezen.",
    "Ik raakte even geïrriteerd toen je mijn oom meteen afwees. Daarna werd het beter.",
    "Je liet stiltes vallen; dat gaf me ruimte om meer te vertellen.",
    "Ik voelde druk toen je drie vragen tegelijk stelde.",
    "Fijn dat je mijn woorden gebruikte en niet die van het dossier.",
]
SELF_REFLECTIONS = [
    "Ik wilde het probleem oplossen, terwijl de jongere vooral gehoord wilde worden. Volgende keer wacht ik langer.",
    "Het lukte om de keuze bij de jongere te laten. Lastig vond ik de twijfel van de moeder.",
    "Ik heb geleerd dat ik mijn eigen plan pas later moet noemen.",
    "Ik merkte dat ik de JIM als helper zag en niet als partner. Dat wil ik anders doen.",
]
AFTERCARE = ["Het spelen ging goed; ik heb na afloop even met de trainer nagepraat.",
             "Deze sketch raakte me wat meer dan anders. Het nagesprek hielp.",
             "Prima gegaan, ik stap makkelijk uit de rol."]
OPEN_ANSWERS = [
    "Ik vraag de jongere wie hij of zij vertrouwt, en ik laat de keuze bij de jongere, ook als ik zelf twijfel.",
    "De jongere kiest de JIM. Ik oordeel niet over het verleden van die persoon, de relatie telt.",
    "Ik bespreek met de JIM wat hij ziet en neem dat mee in het plan. De JIM is een gelijkwaardige partner.",
    "Ik zou samen met de jongere een netwerkkaart maken en vragen bij wie zij zich veilig voelt.",
    "Ouders blijven belangrijk; ik leg uit dat de JIM hun plek niet inneemt en betrek ze bij de keuze.",
    "Ik houd me in met advies en stel vooral open vragen, zodat de jongere zelf de regie houdt.",
    "Weet ik niet precies. Volgens mij moet de hulpverlener de JIM goedkeuren.",
]
REVIEW_FEEDBACK = ["Goed: je laat de regie bij de jongere.", "Noem ook wat je met de ouders bespreekt.",
                   "Je mist dat de jongere zelf kiest.", "Helder antwoord, met een goed voorbeeld.", None, None]
APPROVE_FEEDBACK = ["Mooi hoe je de keuze bij de jongere liet.", "Goed onderbouwd, met een eerlijke terugblik.",
                    "Duidelijk beschreven wat je anders doet dan vroeger.", None]
RETURN_FEEDBACK = ["Beschrijf ook wat je zelf anders wilt doen. Wat heb je geleerd?",
                   "Je schrijft vooral wat er gebeurde. Hoe werkte je samen met de JIM?",
                   "Haal de details weg waaraan de jongere te herkennen is, en lever opnieuw in."]
REVOKE_REASONS = [
    "Afgetekend bij vergissing: de praktijkopdracht was nog niet goedgekeurd.",
    "Verkeerde deelnemer afgetekend in dezelfde groep.",
    "Op verzoek van de organisatie: de aanwezigheid bleek achteraf niet te kloppen.",
    "Dubbel afgetekend na een wijziging van de groep.",
]
LICENCE_REASONS = ["Train-de-trainer afgerond.", "Train-de-trainer afgerond, met goed gevolg.", ""]
RENEWAL_REASONS = ["Verlengd na intervisie.", "Verlengd: voldoende trainingen gegeven.", ""]
AVAILABILITY = ["Maandag en donderdag overdag.", "Dinsdagmiddag en vrijdag.", "Flexibel, liefst niet op woensdag.",
                "Alleen in de schoolvakanties.", "Elke werkdag vanaf 12 uur."]
REFLECTION_PARTS = {
    "## Hoe de jongere een JIM koos": [
        "In mijn werk begeleid ik een jongere die al jaren hulp krijgt. Toen ik vroeg wie ze vertrouwt, noemde ze "
        "eerst niemand. We maakten samen een netwerkkaart, en daarop stonden meer mensen dan ze dacht: een buurvrouw, "
        "een oud-trainer van de sportclub en een nicht. Na twee weken koos ze de buurvrouw, bij wie ze als kind vaak "
        "at. Ik heb die keuze niet beoordeeld, ook al kende ik die buurvrouw niet.",
        "De jongere die ik beschrijf, woont sinds een jaar in een gezinshuis. Ik vroeg hem wie er vroeger voor hem "
        "klaarstond. Hij noemde een oom met een lastig verleden. Mijn eerste reactie was twijfel, maar ik heb die "
        "voor me gehouden en gevraagd waarom juist deze oom. Zijn antwoord was eenvoudig: hij luistert en hij oordeelt "
        "niet. Dat was voor mij genoeg om samen verder te kijken.",
        "Het zoeken duurde langer dan ik had gehoopt. De jongere twijfelde tussen haar zus en een docent. Ik heb geen "
        "voorkeur uitgesproken, maar wel gevraagd wat ze van elk van hen nodig had. Uiteindelijk koos ze haar zus, "
        "omdat die ook in het weekend bereikbaar is. Ik merkte dat het kiezen zelf al iets deed: ze praatte anders "
        "over haar eigen netwerk.",
    ],
    "## Samenwerken met de JIM": [
        "In het eerste gesprek met ons drieën vroeg ik de JIM wat zij zag en wat zij belangrijk vond, voordat ik mijn "
        "eigen ideeën noemde. Zij kende de jongere van een heel andere kant. Zij wist bijvoorbeeld dat de jongere "
        "'s avonds het meest praat, en dat ze dichtklapt als er te veel volwassenen tegelijk aan tafel zitten. Dat "
        "hebben we meegenomen in hoe we de gesprekken plannen.",
        "De JIM had geen ervaring met hulpverlening en vroeg wat er van hem werd verwacht. Ik heb uitgelegd dat hij er "
        "vooral voor de jongere is, en dat hij niet hoeft te doen wat ik doe. We spraken af dat hij mij belt als hij "
        "zich zorgen maakt, en dat ik hem op de hoogte houd van afspraken, als de jongere dat goed vindt.",
        "Samenwerken als gelijken was lastiger dan ik dacht. In het overleg met school merkte ik dat ik namens de JIM "
        "ging praten. Achteraf heb ik dat met haar besproken. Bij het volgende overleg heeft zij zelf verteld wat zij "
        "zag, en dat maakte meer indruk op de mentor van school dan mijn verslag ooit had gedaan.",
    ],
    "## Wat ik anders deed": [
        "Vroeger zou ik zelf iemand hebben voorgesteld die ik geschikt vond. Nu liet ik de keuze bij de jongere, ook "
        "toen ik twijfelde. Ik merkte dat ik op mijn handen moest zitten toen het thuis misging. In plaats van meteen "
        "een oplossing te regelen, vroeg ik eerst wat de jongere en de JIM zelf wilden proberen. Dat voelde "
        "ongemakkelijk, maar het werkte.",
        "Ik stel nu meer open vragen en geef minder advies. Als de jongere iets voorstelt dat ik niet zou kiezen, "
        "vraag ik wat ze ervan verwacht, in plaats van uit te leggen waarom het niet slim is. In het dossier "
        "schrijf ik nu ook op wat de JIM inbrengt, zodat collega's zien dat het plan niet alleen van mij komt.",
        "Toen er een crisis was, belde de jongere niet mij maar haar JIM. Vroeger had ik dat als een probleem gezien. "
        "Nu zag ik dat het netwerk werkte. De JIM belde mij daarna, en samen konden we snel iets regelen zonder dat "
        "ik de regie overnam. Ik ben niet meer vanzelf het eerste aanspreekpunt, en dat is goed.",
    ],
    "## Wat ik heb geleerd": [
        "Ik heb geleerd dat ik niet alles hoef te weten of op te lossen. De jongere deed meer als ze het zelf had "
        "bedacht. Een volgende keer wil ik eerder de ouders betrekken, zodat zij de JIM niet zien als iemand die hun "
        "plek inneemt. Ook wil ik mijn team laten zien hoe ik met de netwerkkaart werk, zodat meer collega's het "
        "proberen.",
        "Het loslaten van de regie blijft voor mij het moeilijkste deel. Ik merk dat ik in drukke weken terugval in "
        "oude gewoontes. Daarom bespreek ik nu elke maand met een collega één casus waarin een JIM meedoet. Zo houd "
        "ik scherp wanneer ik weer te veel zelf ga doen, en leer ik van hoe anderen het aanpakken.",
        "Wat ik meeneem naar een volgende jongere: de relatie is belangrijker dan het verleden of de opleiding van de "
        "JIM. Ik kijk minder naar risico's op papier en meer naar wie de jongere echt vertrouwt. Waar ik zorgen heb, "
        "bespreek ik die open met de JIM, in plaats van ze stil mee te nemen in mijn oordeel.",
    ],
}
REFLECTION_CLOSERS = [
    "De jongere uit deze reflectie is niet herkenbaar beschreven; details zijn veranderd.",
    "Namen en details zijn weggelaten of veranderd, zodat niemand te herkennen is.",
]


class PreJSON(str):
    """A JSON document that is already text."""


TOKENS = re.compile(".{8}")
#: A trainer's level (1-4) per criterion in a round judged sufficient, or not yet; others differ a little.
GOOD_LEVELS = (2, 3, 3, 3, 3, 3, 4, 4, 4, 4)
WEAK_LEVELS = (1, 1, 1, 2, 2, 2, 2, 2, 3, 3)
SHIFTS = (-1, 0, 0, 1)

#: Open answers as JSON text; the last one is a poor answer (never picked for a good attempt).
OPEN_TEXTS = [PreJSON(json.dumps(text)) for text in OPEN_ANSWERS]


def _templates(ids: list, shuffle: bool) -> list[str]:
    """draw()'s [[token, id], ...] as a JSON template per possible display order ("%s" for each token)."""
    orders = list(itertools.permutations(ids)) if shuffle else [tuple(ids)]
    if len(orders) > 5040:
        raise RuntimeError("a question with more than 7 options, pairs or items; the builder does not expect one")
    return ["[" + ", ".join('["%s", ' + json.dumps(item) + "]" for item in order) + "]" for order in orders]


# Content --------------------------------------------------------------------------------------------------------

@dataclass
class QuestionInfo:
    key: str
    type: str
    points: int
    data: dict
    #: '{"key": ..., "question": {...}' as start_attempt's snapshot, without the closing brace.
    prefix: str
    #: What draw() adds: (name, templates, tokens) with one JSON template per display order, "%s" per token.
    parts: list = field(default_factory=list)
    #: The right answer as JSON text, and wrong ones with the fraction grade() gives them.
    good: str = ""
    bads: list = field(default_factory=list)
    #: Not answered at all: JSON null and its fraction.
    unanswered: tuple = ()
    #: Tokens one drawn entry needs.
    tokens: int = 0
    #: Answer rows as attempt() uses them: (key, response, fraction, points awarded, reviewed by a trainer).
    right_answers: list = field(default_factory=list)
    wrong_answers: list = field(default_factory=list)
    right_answer: tuple = ()
    no_answer: tuple = ()


@dataclass
class QuizInfo:
    draw_count: int
    pass_mark: int
    max_attempts: int | None
    time_limit: int | None
    shuffle: bool
    questions: list


@dataclass
class ModuleInfo:
    slug: str
    position: int
    prerequisites: list
    lessons: list
    quiz: QuizInfo | None


@dataclass
class Attempt:
    module: int
    target: bool
    drawn: str
    answers: list  # (key, response, fraction, points_awarded, reviewed)
    score: float
    max_score: float
    percent: float
    passed: bool
    review: bool
    minutes: float
    number: int = 0


@dataclass
class Member:
    """A learner's place in a cohort, and what happened to them there."""

    user_id: int
    name: str
    email: str
    organisation: int
    region: str | None
    work_context: str | None
    kind: str  # cert, drop, fail3, almost-att, almost-prac, almost-round, running, planned
    enrolled_at: datetime | None = None
    attendance: dict = field(default_factory=dict)  # session index -> status
    done: list = field(default_factory=list)  # lessons done per module
    passed: list = field(default_factory=list)  # module passed per module
    attempted: list = field(default_factory=list)  # attempts per module
    last_activity: datetime | None = None
    row: dict | None = None  # the user_account row, still in the writer until the cohort is done


def _json_text(value) -> str:
    """JSON as the app's engine would store it; drawn questions and answers are text already (PreJSON)."""
    return str(value) if type(value) is PreJSON else json.dumps(value)


def _default_of(column):
    """The value a row that leaves the column out gets: its scalar default, or its default function called once
    (a moment such as utcnow; unique columns are filled by the builder itself); None without a default."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)
    return None


def table_layouts(metadata) -> list[tuple[str, list[str], list[str], list]]:
    """(table, columns, how each value is stored: json, datetime, date or as is, the column's scalar default for
    rows that leave it out), parents before children."""
    layouts = []
    for table in metadata.sorted_tables:
        kinds = []
        defaults = [_default_of(column) for column in table.columns]
        for column in table.columns:
            if isinstance(column.type, sa.JSON):
                kinds.append("json")
            elif isinstance(column.type, sa.DateTime):
                kinds.append("datetime")
            elif isinstance(column.type, sa.Date):
                kinds.append("date")
            else:
                kinds.append("")
        layouts.append((table.name, [c.name for c in table.columns], kinds, defaults))
    return layouts


def _converter(name: str, columns: list[str], kinds: list[str], defaults: list):
    """A generated function that turns a table's row dicts into tuples of the values as stored.

    Moments become 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): SQLAlchemy's SQLite storage format, and what COPY reads
    for timestamptz in a UTC session. The same datetime object often sits in several rows (the answers of one
    attempt), so each is formatted once. JSON becomes text (drawn questions and answers are text already).
    """
    expressions = []
    for index, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
        # A column the builder does not fill (one added after it was written) gets its scalar default, or NULL.
        value = f"r.get({column!r}, defaults[{index}])"
        expressions.append({"json": f"js({value})", "datetime": f"dt({value})",
                            "date": f"(None if {value} is None else {value}.isoformat())"}.get(kind, value))
    source = (
        "def convert(rows):\n"
        "    cache = {}\n"
        "    known = cache.get\n"
        "    def dt(v):\n"
        "        if v is None:\n"
        "            return None\n"
        "        text = known(id(v))\n"
        "        if text is None:\n"
        "            text = cache[id(v)] = v.isoformat(' ', 'microseconds')\n"
        "        return text\n"
        f"    return [({', '.join(expressions)},) for r in rows]\n")
    scope = {"js": _json_text, "defaults": [str(d) if isinstance(d, StrEnum) else d for d in defaults]}
    exec(compile(source, f"<rows of {name}>", "exec"), scope)  # noqa: S102 - generated from the metadata
    return scope["convert"]


def _connect(url: str, dialect: str):
    """A DB-API connection for bulk writing; returns it and whether foreign keys are checked while writing."""
    if dialect == "sqlite":
        import sqlite3

        conn = sqlite3.connect(sa.engine.make_url(url).database)
        # Nobody else uses the file while it is built: no rollback journal and no fsync. Foreign keys are checked
        # as the app's own connections do.
        for pragma in ("foreign_keys=ON", "journal_mode=OFF", "synchronous=OFF", "cache_size=-262144",
                       "temp_store=MEMORY", "busy_timeout=5000"):
            conn.execute(f"PRAGMA {pragma}")
        return conn, True
    import psycopg

    conn = psycopg.connect(sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False))
    conn.execute("SET TIME ZONE 'UTC'")  # the builder's moments are UTC
    conn.execute("SET synchronous_commit = off")  # this session only: commits need not wait for the disk
    conn.commit()
    try:
        # Skip the foreign-key triggers while loading (superusers only); check_foreign_keys checks every
        # reference afterwards instead, in one query per key.
        conn.execute("SET session_replication_role = replica")
        conn.commit()
        return conn, False
    except psycopg.Error:
        conn.rollback()
        return conn, True


class _Lane:
    """One connection that writes in a thread of its own (PostgreSQL: its own server process too)."""

    def __init__(self, url: str, dialect: str, plans: dict, seconds: dict):
        import queue
        import threading

        self.url, self.dialect, self.plans, self.seconds = url, dialect, plans, seconds
        self.queue: queue.Queue = queue.Queue(maxsize=16)
        self.error: str | None = None
        self.checks_keys = True
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait()

    def _run(self) -> None:
        import traceback

        try:
            conn, self.checks_keys = _connect(self.url, self.dialect)
        except BaseException:  # noqa: BLE001 - reported by the writing process
            self.error = traceback.format_exc()
            self.ready.set()
            return
        self.ready.set()
        try:
            cursor = conn.cursor()
            while True:
                message = self.queue.get()
                if message is None or message == "commit":
                    conn.commit()
                    if message is None:
                        break
                    continue
                name, rows = message
                began = time.monotonic()
                if self.dialect == "sqlite":
                    cursor.executemany(self.plans[name], rows)
                else:
                    with cursor.copy(self.plans[name]) as copy:
                        write = copy.write_row
                        for row in rows:
                            write(row)
                self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - began
            conn.close()
        except BaseException:  # noqa: BLE001 - reported by the writing process
            self.error = traceback.format_exc()
            while self.queue.get() is not None:  # let the sender finish; what it sends is dropped
                pass

    def put(self, message) -> None:
        if self.error:
            raise RuntimeError(self.error)
        self.queue.put(message)


#: Tables written on a connection of their own on PostgreSQL (when foreign keys are checked afterwards): the
#: drawn questions are a gigabyte of JSON that the server compresses, long enough to hold up everything else.
SEPARATE_LANES = ("quiz_attempt",)


def _sink(url: str, dialect: str, layouts: list, inbox, outbox) -> None:
    """The writing process: writes the rows it receives (sqlite3 executemany, or COPY on PostgreSQL), committing
    when told. Runs beside the builder, so building and writing share the two cores."""
    import traceback

    seconds: dict[str, float] = {}
    lanes: list[_Lane] = []
    try:
        plans = {}
        for name, columns, _kinds, _defaults in layouts:
            names = ", ".join(f'"{c}"' for c in columns)
            plans[name] = (f'INSERT INTO "{name}" ({names}) VALUES ({", ".join("?" * len(columns))})'
                           if dialect == "sqlite" else f'COPY "{name}" ({names}) FROM STDIN')
        main = _Lane(url, dialect, plans, seconds)
        lanes.append(main)
        route = {}
        if dialect == "postgresql" and not main.checks_keys and not main.error:
            for name in SEPARATE_LANES:
                lane = _Lane(url, dialect, plans, seconds)
                lanes.append(lane)
                route[name] = lane
        while True:
            message = inbox.get()
            if message is None or message == "commit":
                for lane in lanes:
                    lane.put(message)
                if message is None:
                    break
                continue
            route.get(message[0], main).put(message)
        for lane in lanes:
            lane.thread.join()
        errors = [lane.error for lane in lanes if lane.error]
        if errors:
            raise RuntimeError(errors[0])
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        seconds["(cpu of the writing process)"] = usage.ru_utime + usage.ru_stime
        outbox.put(("ok", seconds))
    except BaseException:  # noqa: BLE001 - reported to the builder, which raises it
        outbox.put(("error", traceback.format_exc()))


class Writer:
    """Rows per table, kept until a flush and then sent (parents before children) to the writing process."""

    def __init__(self, url: str, dialect: str, metadata):
        import multiprocessing

        layouts = table_layouts(metadata)
        self.order = [name for name, *_layout in layouts]
        #: Row dicts become tuples of stored values here: plain values are cheap to send to the writing process.
        self.convert = {name: _converter(name, columns, kinds, defaults) for name, columns, kinds, defaults in layouts}
        self.rows: dict[str, list] = {name: [] for name in self.order}
        context = multiprocessing.get_context("spawn")
        # A queue, not a bare pipe: its feeder thread sends while the builder goes on, so building and writing
        # overlap; bounded, so rows never pile up in memory when the writer falls behind.
        self.inbox = context.Queue(maxsize=24)
        # When building fails, rows may still wait to be sent: exiting must not wait for a writer that has stopped
        # (close() waits for the writer's answer, so nothing is lost when all goes well).
        self.inbox.cancel_join_thread()
        self.outbox = context.Queue()
        self.process = context.Process(target=_sink, args=(url, dialect, layouts, self.inbox, self.outbox),
                                       daemon=True)
        self.process.start()
        self.seconds: dict[str, float] = {}

    def add(self, name: str, row: dict) -> None:
        self.rows[name].append(row)

    def appender(self, name: str):
        return self.rows[name].append

    def maybe_flush(self) -> None:
        """Called between cohorts only, so rows of the cohort being built can still be completed."""
        if sum(len(rows) for rows in self.rows.values()) >= FLUSH_AT:
            self.flush()

    def _check(self) -> None:
        if not self.outbox.empty() or not self.process.is_alive():
            _status, detail = self.outbox.get(timeout=10)
            raise RuntimeError(f"writing the rows failed:\n{detail}")

    def flush(self) -> None:
        self._check()
        for name in self.order:
            rows = self.rows[name]
            if rows:
                values = self.convert[name](rows)
                for start in range(0, len(values), CHUNK):
                    self._put((name, values[start:start + CHUNK]))
                self.rows[name] = []
        self._put("commit")

    def _put(self, message) -> None:
        import queue

        while True:
            try:
                self.inbox.put(message, timeout=5)
                return
            except queue.Full:
                self._check()

    def close(self) -> None:
        """Write what is left and wait for the writing process; raises what went wrong there."""
        self.flush()
        self._put(None)
        status, detail = self.outbox.get()
        self.process.join()
        if status != "ok":
            raise RuntimeError(f"writing the rows failed:\n{detail}")
        self.seconds = detail


class Ids:
    """Ids chosen here, from 1 per table."""

    def __init__(self):
        self.counters: dict[str, object] = {}

    def counter(self, table: str):
        if table not in self.counters:
            self.counters[table] = itertools.count(1).__next__
        return self.counters[table]

    def __call__(self, table: str) -> int:
        return self.counter(table)()


def local_time(day: date, hour: int, minute: int) -> datetime:
    """A Dutch clock time as naive UTC: every moment in the builder is naive UTC (see Writer for why)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL).astimezone(UTC).replace(tzinfo=None)


def weekday(day: date) -> date:
    """Move a Saturday or Sunday to the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


# The builder ------------------------------------------------------------------------------------------------------

class Builder:
    def __init__(self, writer: Writer, rng: random.Random, now: datetime, password_hash: str):
        self.w = writer
        self.rng = rng
        self.now = now
        self.today = now.date()
        self.password_hash = password_hash
        self.ids = Ids()
        self.session_tokens: set[str] = set()
        self.codes: set[str] = set()
        self.numbers: set[str] = set()
        self.join_codes: set[str] = set()
        self.certificates: list[tuple[str, str]] = []  # (code, status)
        self.running_members: list[tuple[int, Member]] = []  # (cohort id, member) outside the trainer cohorts
        self.trainer_entries: list[dict] = []

    # Small helpers ---------------------------------------------------------------------------------------------
    def token(self, nbytes: int = 32) -> str:
        """What secrets.token_urlsafe(nbytes) gives, from the seeded generator."""
        return base64.urlsafe_b64encode(self.rng.randbytes(nbytes)).rstrip(b"=").decode("ascii")

    def unique(self, seen: set, make) -> str:
        while True:
            value = make()
            if value not in seen:
                seen.add(value)
                return value

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(minutes=self.rng.uniform(low, high))

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + timedelta(seconds=self.rng.uniform(0, (end - start).total_seconds()))

    def person_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    # Content ---------------------------------------------------------------------------------------------------
    def load_content(self) -> None:
        from sqlalchemy import select

        from jimtraining.certification.models import Track
        from jimtraining.curriculum.services import active_modules
        from jimtraining.extensions import db
        from jimtraining.scenarios.models import Scenario

        self.track = db.session.scalar(select(Track).where(Track.slug == TRACK))
        if self.track is None:
            raise RuntimeError(f"no track {TRACK!r} after the content sync")
        track_modules = list(self.track.requirements.get("modules") or [])
        self.modules: list[ModuleInfo] = []
        for module in active_modules():
            if module.slug not in track_modules:
                continue  # the trainer modules (07, 08) are not part of the professionals' track
            quiz = module.quiz if module.quiz is not None and not module.quiz.archived else None
            info = None
            if quiz is not None:
                info = QuizInfo(quiz.draw_count, quiz.pass_mark, quiz.max_attempts, quiz.time_limit_minutes,
                                quiz.shuffle_options, [self._question(q) for q in quiz.active_questions])
            self.modules.append(ModuleInfo(module.slug, module.position, list(module.prerequisites),
                                           [lesson.slug for lesson in module.active_lessons], info))
        by_slug = {m.slug: i for i, m in enumerate(self.modules)}
        if [m.slug for m in self.modules] != track_modules:
            raise RuntimeError("the JIMwerker track's modules are not active modules in their order; the builder "
                               "assumes they are")
        for module in self.modules:
            if module.quiz is None or not module.lessons:
                raise RuntimeError(f"module {module.slug} has no quiz or no lessons; the builder needs both")
            if any(by_slug.get(p, len(self.modules)) >= by_slug[module.slug] for p in module.prerequisites):
                raise RuntimeError(f"module {module.slug} depends on a later module")
        self.module_index = by_slug
        self.scenarios = [
            {"slug": s.slug, "title": s.title, "work_context": s.work_context,
             "criteria": [c["id"] for c in s.data["rubric"]]}
            for s in db.session.scalars(select(Scenario).where(Scenario.archived.is_(False)).order_by(Scenario.slug))
        ]
        if not self.scenarios:
            raise RuntimeError("no scenarios after the content sync")
        if self.track.renews:
            raise RuntimeError("the builder signs first certificates of a track that renews nothing")
        self.track_title = self.track.title  # as services._qualification_title for a track that renews nothing
        self.track_months = self.track.valid_months
        self.track_modules = track_modules
        self._check_draw_shape()

    def _question(self, q) -> QuestionInfo:
        from jimtraining.quizzes.types import QUESTION_TYPES

        snapshot = {"type": q.type, "text": q.text, "points": q.points, "feedback": q.feedback, "data": q.data}
        info = QuestionInfo(q.key, q.type, q.points, q.data,
                            '{"key": ' + json.dumps(q.key) + ', "question": ' + json.dumps(snapshot))
        grade = QUESTION_TYPES[q.type].grade
        shuffle = q.quiz.shuffle_options
        data = q.data

        def variant(response):
            return PreJSON(json.dumps(response)), grade(data, response)

        info.unanswered = (PreJSON("null"), 0.0 if q.type == "open" else grade(data, None))
        if q.type in ("single_choice", "multiple_response"):
            ids = [o["id"] for o in data["options"]]
            right = [o["id"] for o in data["options"] if o["correct"]]
            wrong = [o["id"] for o in data["options"] if not o["correct"]]
            info.parts = [("options", _templates(ids, shuffle), len(ids))]
            if q.type == "single_choice":
                info.good, info.bads = PreJSON(json.dumps(right[0])), [variant(w) for w in wrong]
            else:
                info.good = PreJSON(json.dumps(sorted(right)))
                info.bads = [variant(sorted(x for x in right if x != r)) for r in right if len(right) > 1]
                info.bads += [variant(sorted([*right, w])) for w in wrong]
        elif q.type == "true_false":
            info.good, info.bads = PreJSON(json.dumps(data["answer"])), [variant(not data["answer"])]
        elif q.type == "matching":
            ids = [p["id"] for p in data["pairs"]]
            info.parts = [("lefts", _templates(ids, shuffle), len(ids)), ("rights", _templates(ids, True), len(ids))]
            info.good = PreJSON(json.dumps({i: i for i in ids}))
            for a, b in itertools.combinations(range(len(ids)), 2):
                rights = list(ids)
                rights[a], rights[b] = rights[b], rights[a]
                info.bads.append(variant(dict(zip(ids, rights, strict=True))))
        elif q.type == "ordering":
            ids = [i["id"] for i in data["items"]]
            info.parts = [("items", _templates(ids, True), len(ids))]
            info.good = PreJSON(json.dumps(ids))
            for a in range(len(ids) - 1):
                order = list(ids)
                order[a], order[a + 1] = order[a + 1], order[a]
                info.bads.append(variant(order))
        elif q.type != "open":
            raise RuntimeError(f"the builder does not know question type {q.type!r}")
        info.tokens = sum(count for _name, _templates, count in info.parts)
        if q.type != "open" and grade(data, json.loads(info.good)) != 1.0:
            raise RuntimeError(f"the right answer to {q.key} does not earn full points")
        key, points = q.key, q.points

        def row(response, fraction, reviewed=False, awarded=None):
            # Graded answers get fraction x points (submit_attempt); reviewed ones the trainer's points as given
            # and fraction = points / max (review_answer).
            return key, response, fraction, round(fraction * points, 4) if awarded is None else awarded, reviewed

        info.no_answer = row(*info.unanswered)
        if q.type == "open":
            # A trainer grades it: 2 or 3 points for a good answer, 0 or 1 for a poor one; now and then it is left
            # empty, which grades as 0 without review.
            good = [(t, min(p, points)) for t in OPEN_TEXTS[:-1] for p in (2, 3)]
            poor = [(t, p) for t in OPEN_TEXTS for p in (0, 1)]
            info.right_answers = [row(t, round(p / points, 4), True, float(p)) for t, p in good]
            info.wrong_answers = [row(t, round(p / points, 4), True, float(p)) for t, p in poor] + [info.no_answer]
            info.right_answer = row(OPEN_TEXTS[0], 1.0, True, float(points))
        else:
            info.right_answer = row(info.good, 1.0)
            info.right_answers = [info.right_answer]
            info.wrong_answers = [row(response, fraction) for response, fraction in info.bads]
        return info

    def _check_draw_shape(self) -> None:
        """The drawn entries written here must look exactly like those start_attempt writes."""
        from jimtraining.quizzes.types import QUESTION_TYPES

        probe = random.Random(1)
        for module in self.modules:
            quiz = module.quiz
            for question in quiz.questions:
                real = {"key": question.key, "question": json.loads(question.prefix + "}")["question"]}
                real.update(QUESTION_TYPES[question.type].draw(question.data, quiz.shuffle, probe))
                mine = json.loads(self._entry(question))
                if list(real) != list(mine) or real["question"] != mine["question"]:
                    raise RuntimeError(f"drawn entry of {question.key} differs from start_attempt's")
                for name in list(real)[2:]:
                    if sorted(i for _t, i in real[name]) != sorted(i for _t, i in mine[name]) or any(
                            len(t) != 8 for t, _i in mine[name]):
                        raise RuntimeError(f"drawn {name} of {question.key} differs from start_attempt's")

    # Quizzes ---------------------------------------------------------------------------------------------------
    def _entry(self, q: QuestionInfo) -> str:
        """One drawn entry as JSON text (used by the shape check; attempt() does the same for all at once)."""
        parts: list[str] = []
        tokens = TOKENS.findall(f"{self.rng.getrandbits(32 * q.tokens):0{8 * q.tokens}x}")
        self._entry_parts(q, parts, tokens, 0)
        return "".join(parts)

    def _entry_parts(self, q: QuestionInfo, parts: list, tokens: list, position: int) -> int:
        """Append the snapshot and the per-attempt tokens, in a random display order; returns the next token."""
        random_ = self.rng.random
        parts.append(q.prefix)
        for name, templates, count in q.parts:
            parts.append(', "' + name + '": ')
            parts.append(templates[int(random_() * len(templates))] % tuple(tokens[position:position + count]))
            position += count
        parts.append("}")
        return position

    def attempt(self, module: int, target: bool) -> Attempt:
        """Draw the questions as start_attempt does and answer them so the attempt passes (or fails) as planned."""
        rng = self.rng
        random_ = rng.random
        quiz = self.modules[module].quiz
        pool = list(quiz.questions)
        size = len(pool)
        draw = min(quiz.draw_count, size)
        for i in range(draw):  # a partial Fisher-Yates shuffle: random.sample, cheaper
            j = i + int(random_() * (size - i))
            pool[i], pool[j] = pool[j], pool[i]
        chosen = pool[:draw]
        needed = sum(q.tokens for q in chosen)
        tokens = TOKENS.findall(f"{rng.getrandbits(32 * needed):0{8 * needed}x}") if needed else []
        parts = ["["]
        position = 0
        for number, q in enumerate(chosen):
            if number:
                parts.append(", ")
            position = self._entry_parts(q, parts, tokens, position)
        parts.append("]")
        drawn = PreJSON("".join(parts))
        max_score = float(sum(q.points for q in chosen))
        skill = 0.9 if target else 0.45
        pass_mark = quiz.pass_mark
        for round_number in range(8):
            answers = []
            if round_number == 7:  # rare: give up on realism and force the outcome
                answers = [q.right_answer if target else q.no_answer for q in chosen]
            else:
                for q in chosen:
                    if random_() < skill:
                        options = q.right_answers
                    else:
                        options = q.wrong_answers
                    answers.append(options[int(random_() * len(options))])
            score = round(sum(a[3] for a in answers), 4)
            percent = round(100 * score / max_score, 2) if max_score else 0.0
            if (percent >= pass_mark) == target:
                break
        review = any(a[4] for a in answers)
        minutes = (3 + 15 * random_()) if quiz.time_limit else (4 + 21 * random_())
        return Attempt(module, target, drawn, answers, score, max_score, percent, percent >= quiz.pass_mark,
                       review, minutes)

    # Learning ----------------------------------------------------------------------------------------------------
    def study(self, member: Member, plan: list, start: datetime, end: datetime, reviewers: list,
              slack: float) -> None:
        """Lessons and quiz attempts of one learner, in module order, spread over [start, end].

        plan: per module index (in order) (lessons done, [attempt targets]). A module is only begun once every
        prerequisite is complete, as the app's lock requires. Short gaps (between lessons of a sitting, the
        attempt itself, waiting for the trainer's review) are minutes; the rest of the time is shared out by weight.
        """
        random_ = self.rng.random
        count = len(self.modules)
        member.done = done = [0] * count
        member.passed = [False] * count
        member.attempted = [0] * count
        weights: list[float] = []
        minutes: list[float] = []
        events: list[tuple] = []
        for index, (lessons, targets) in enumerate(plan):
            slugs = self.modules[index].lessons
            for j in range(lessons):
                if j == 0:
                    weights.append(0.6 + 0.8 * random_())
                    minutes.append(1 + 29 * random_())
                elif random_() < 0.15:
                    weights.append(0.05 + 0.25 * random_())
                    minutes.append(1 + 9 * random_())
                else:
                    weights.append(0.0)
                    minutes.append(4 + 14 * random_())
                events.append((0, index, slugs[j]))
            for k, target in enumerate(targets):
                attempt = self.attempt(index, target)
                attempt.number = k + 1
                weights.append((0.1 + 0.3 * random_()) if k == 0 else (0.3 + 0.5 * random_()))
                minutes.append(2 + 58 * random_())
                events.append((1, attempt))
                weights.append(0.0)
                minutes.append(attempt.minutes)
                events.append((2, attempt))
                if attempt.review:
                    weights.append(0.0)
                    minutes.append(30 + 1370 * random_())
                    events.append((3, attempt))
        if not events:
            return
        weights.append(slack)
        minutes.append(0.0)
        span = (end - start).total_seconds() / 60
        small = sum(minutes)
        total_weight = sum(weights) or 1.0
        scale, free = (span / small, 0.0) if small > span else (1.0, span - small)
        share = free / total_weight
        add = self.w.appender("lesson_progress")
        next_id = self.ids.counter("lesson_progress")
        user_id = member.user_id
        module_slugs = [m.slug for m in self.modules]
        offset = 0.0
        began = handed_in = None
        moment = start
        for event, weight, mins in zip(events, weights, minutes, strict=False):
            offset += share * weight + mins * scale
            moment = start + timedelta(minutes=offset)
            kind = event[0]
            if kind == 0:
                index = event[1]
                add({"id": next_id(), "user_id": user_id, "module_slug": module_slugs[index], "lesson_slug": event[2],
                     "started_at": moment, "completed_at": moment})
                done[index] += 1
            elif kind == 1:
                began = moment
            elif kind == 2:
                handed_in = moment
                if not event[1].review:
                    self._write_attempt(member, event[1], began, moment, moment, None)
            else:
                self._write_attempt(member, event[1], began, handed_in, moment,
                                    reviewers[int(random_() * len(reviewers))])
        member.last_activity = moment

    def _write_attempt(self, member: Member, attempt: Attempt, started: datetime, submitted: datetime,
                       graded: datetime, reviewer: int | None) -> None:
        module = self.modules[attempt.module]
        limit = module.quiz.time_limit
        attempt_id = self.ids("quiz_attempt")
        self.w.add("quiz_attempt", {
            "id": attempt_id, "user_id": member.user_id, "module_slug": module.slug, "number": attempt.number,
            "status": "graded", "started_at": started,
            "deadline_at": started + timedelta(minutes=limit) if limit else None, "submitted_at": submitted,
            "graded_at": graded, "score": attempt.score, "max_score": attempt.max_score, "percent": attempt.percent,
            "passed": attempt.passed, "drawn": attempt.drawn})
        add = self.w.appender("attempt_answer")
        next_id = self.ids.counter("attempt_answer")
        random_ = self.rng.random
        for key, response, fraction, points, reviewed in attempt.answers:
            if reviewed:
                add({"id": next_id(), "attempt_id": attempt_id, "question_key": key, "response": response,
                     "fraction": fraction, "points_awarded": points, "needs_review": False,
                     "reviewer_feedback": REVIEW_FEEDBACK[int(random_() * len(REVIEW_FEEDBACK))],
                     "reviewed_by_id": reviewer, "reviewed_at": graded, "saved_at": submitted})
            else:
                add({"id": next_id(), "attempt_id": attempt_id, "question_key": key, "response": response,
                     "fraction": fraction, "points_awarded": points, "needs_review": False,
                     "reviewer_feedback": None, "reviewed_by_id": None, "reviewed_at": None, "saved_at": submitted})
        member.attempted[attempt.module] += 1
        if attempt.passed:
            member.passed[attempt.module] = True

    def complete_plan(self) -> list:
        """Every module done: all lessons, the quiz passed after 0, 1 or 2 failed attempts."""
        random_ = self.rng.random
        plan = []
        for module in self.modules:
            roll = random_()
            failed = 0 if roll < 0.88 else 1 if roll < 0.98 else 2
            plan.append((len(module.lessons), [False] * failed + [True]))
        return plan

    def partial_plan(self, complete: int, next_state: str) -> list:
        """`complete` modules done, then the next one: none, some, all lessons, or all lessons and a failed try."""
        rng = self.rng
        plan = self.complete_plan()[:complete]
        if complete < len(self.modules):
            lessons = len(self.modules[complete].lessons)
            if next_state == "some" and lessons > 1:
                plan.append((rng.randint(1, lessons - 1), []))
            elif next_state in ("all", "some"):
                plan.append((lessons, []))
            elif next_state == "failed":
                plan.append((lessons, [False] * rng.choice((1, 1, 2))))
            elif next_state == "fail3":
                plan.append((lessons, [False, False, False]))
        return plan

    # People ----------------------------------------------------------------------------------------------------
    def user(self, *, email: str, name: str, role: str, organisation: int | None, region: str | None,
             work_context: str | None, created_at: datetime, last_login_at: datetime | None,
             enabled: bool = True, skj: str | None = None, locale: str = "nl") -> int:
        user_id = self.ids("user_account")
        self.w.add("user_account", {
            "id": user_id, "email": email, "name": name, "password_hash": self.password_hash, "role": role,
            "organisation_id": organisation, "region": region, "work_context": work_context, "skj_number": skj,
            "locale": locale, "is_enabled": enabled, "session_token": self.unique(self.session_tokens, self.token),
            "created_at": created_at, "last_login_at": last_login_at})
        self.last_user_row = self.w.rows["user_account"][-1]
        return user_id

    def audit(self, action: str, at: datetime, actor: tuple | None, subject: tuple | None, object_type: str,
              object_id: int, reason: str = "", **details) -> None:
        self.w.add("audit_event", {
            "id": self.ids("audit_event"), "at": at, "action": action,
            "actor_id": actor[0] if actor else None, "actor_name": actor[1] if actor else "",
            "subject_id": subject[0] if subject else None, "subject_name": subject[1] if subject else "",
            "object_type": object_type, "object_id": object_id, "reason": reason, "details": details})

    def organisations(self) -> None:
        from jimtraining.data import regions

        rng = self.rng
        self.regions = [r for r in regions() if r != "Landelijk"]
        self.region_weights = [rng.uniform(0.5, 3.0) for _ in self.regions]
        places: list[str] = [s + x for s in PLACE_STEMS for x in PLACE_SUFFIXES]
        rng.shuffle(places)
        names: set[str] = set()
        self.orgs: list[dict] = []
        kinds = list(KIND_WEIGHTS)
        created = self.now - timedelta(days=1600)
        place_iter = iter(places)
        for index in range(N_ORGANISATIONS):
            actor_org = index < 3
            kind = "anders" if actor_org else rng.choices(kinds, weights=list(KIND_WEIGHTS.values()))[0]
            while True:
                place = next(place_iter)
                pattern = "Stichting Trainingsacteurs {p}" if actor_org else rng.choice(ORGANISATION_PATTERNS[kind])
                name = pattern.format(p=place, d=rng.choice(DIRECTIONS))
                if name not in names:
                    names.add(name)
                    break
            org_id = self.ids("organisation")
            region = rng.choices(self.regions, weights=self.region_weights)[0]
            self.orgs.append({"id": org_id, "name": name, "place": place, "kind": kind, "region": region,
                              "actors": actor_org,
                              "weight": 0.0 if actor_org else rng.uniform(0.3, 3.0)})
            self.w.add("organisation", {"id": org_id, "name": name, "kind": kind,
                                        "created_at": created + timedelta(days=rng.uniform(0, 200))})
        self.orgs_by_region: dict[str, list[dict]] = {}
        for org in self.orgs:
            if not org["actors"]:
                self.orgs_by_region.setdefault(org["region"], []).append(org)

    def staff(self) -> None:
        """The admin, the trainers with their licence chains, and the trainee-actors with their profiles."""
        rng = self.rng
        now = self.now
        self.admin = (self.user(email=ADMIN_EMAIL, name="Bente Beheer", role="admin", organisation=None,
                                region="Landelijk", work_context=None, created_at=now - timedelta(days=1700),
                                last_login_at=now - timedelta(hours=20)), "Bente Beheer")
        hosts = [o for o in self.orgs if o["kind"] in ("jeugdzorg", "hogeschool", "wijkteam") and not o["actors"]]
        self.trainers: list[tuple[int, str, str]] = []
        for number in range(1, N_TRAINERS + 1):
            org = rng.choice(hosts)
            name = self.person_name()
            first_licence = now - timedelta(days=rng.uniform(1260, 1800))
            user_id = self.user(
                email=f"trainer-{number:03d}@{DOMAIN}", name=name, role="trainer", organisation=org["id"],
                region=org["region"], work_context=KIND_CONTEXT[org["kind"]],
                created_at=first_licence - timedelta(days=rng.uniform(5, 60)),
                last_login_at=now - timedelta(hours=rng.uniform(3, 240)), skj=str(rng.randint(10_000_000, 99_999_999)))
            self.trainers.append((user_id, name, f"trainer-{number:03d}@{DOMAIN}"))
            self._licences((user_id, name), first_licence)
        self.actors: list[tuple[int, str]] = []
        actor_orgs = [o for o in self.orgs if o["actors"]]
        for number in range(1, N_ACTORS + 1):
            org = rng.choice(actor_orgs)
            name = self.person_name()
            user_id = self.user(
                email=f"acteur-{number:02d}@{DOMAIN}", name=name, role="actor", organisation=org["id"],
                region=org["region"], work_context=None, created_at=now - timedelta(days=rng.uniform(200, 1500)),
                last_login_at=now - timedelta(days=rng.uniform(1, 30)))
            self.actors.append((user_id, name))
            self.w.add("actor_profile", {
                "id": self.ids("actor_profile"), "user_id": user_id, "availability": rng.choice(AVAILABILITY),
                "rehearsed": sorted(rng.sample([s["slug"] for s in self.scenarios],
                                               rng.randint(2, len(self.scenarios))))})

    def _licences(self, trainer: tuple, first: datetime) -> None:
        """A chain of 24-month licences from `first` until one covers today (sometimes a planned renewal too)."""
        rng = self.rng
        previous = None
        valid_from = first
        while True:
            expires = valid_from + relativedelta(months=24)
            renewal = previous is not None
            granted = valid_from - timedelta(days=rng.uniform(5, 50)) if renewal else valid_from
            if granted > self.now:  # a planned renewal is granted only when it is due
                granted = self.now - timedelta(days=rng.uniform(1, 10))
            licence_id = self.ids("trainer_licence")
            self.w.add("trainer_licence", {
                "id": licence_id, "user_id": trainer[0], "granted_by_id": self.admin[0], "granted_at": granted,
                "valid_from": valid_from, "expires_at": expires, "renews_id": previous, "withdrawn_at": None,
                "withdrawn_by_id": None, "withdraw_reason": None})
            self.audit("licence.renewed" if renewal else "licence.granted", granted, self.admin, trainer, "licence",
                       licence_id, rng.choice(RENEWAL_REASONS if renewal else LICENCE_REASONS),
                       valid_from=valid_from.date().isoformat(), expires_on=expires.date().isoformat())
            previous = licence_id
            if valid_from > self.now:
                return
            if expires > self.now:
                if expires - self.now > timedelta(days=90) or rng.random() < 0.5:
                    return
            valid_from = expires

    # Cohorts ---------------------------------------------------------------------------------------------------
    def cohort_specs(self) -> list[dict]:
        rng = self.rng
        today = self.today
        statuses = ["finished"] * N_FINISHED + ["running"] * N_RUNNING + ["planned"] * N_PLANNED
        specs = []
        reserved = set(rng.sample(range(N_FINISHED, N_FINISHED + N_RUNNING), N_TRAINER_COHORTS))
        for index, status in enumerate(statuses):
            spec = {"status": status, "reserved": index in reserved, "interval": rng.randint(14, 28)}
            interval = spec["interval"]
            if status == "finished":
                spec["first"] = today - timedelta(days=rng.randint(125, 1195))
                spec["past"] = 4
            elif status == "running":
                past = rng.choice((2, 3)) if spec["reserved"] else rng.choices((1, 2, 3), weights=(3, 4, 3))[0]
                spec["past"] = past
                spec["first"] = today - timedelta(days=(past - 1) * interval + rng.randint(4, interval - 4))
            else:
                spec["first"] = today + timedelta(days=rng.randint(7, 90))
                spec["past"] = 0
            spec["size"] = TRAINER_COHORT_SIZE if spec["reserved"] else rng.randint(18, 32)
            specs.append(spec)
        free = [s for s in specs if not s["reserved"]]
        diff = N_LEARNERS - sum(s["size"] for s in specs)
        while diff:
            spec = rng.choice(free)
            step = 1 if diff > 0 else -1
            if 16 <= spec["size"] + step <= 34:
                spec["size"] += step
                diff -= step
        specs.sort(key=lambda s: s["first"])
        hosts = [o for o in self.orgs if not o["actors"]]
        host_weights = [o["weight"] for o in hosts]
        reserved_trainers = rng.sample(self.trainers, N_TRAINER_COHORTS)
        others = self.trainers
        trainer_weights = [rng.uniform(0.5, 2.0) for _ in others]
        for spec in specs:
            spec["org"] = rng.choices(hosts, weights=host_weights)[0]
            if spec["reserved"]:
                spec["trainers"] = [reserved_trainers.pop()]
            else:
                first = rng.choices(others, weights=trainer_weights)[0]
                spec["trainers"] = [first]
                if rng.random() < 0.15:
                    second = rng.choice(others)
                    if second[0] != first[0]:
                        spec["trainers"].append(second)
        return specs

    def people_plan(self, specs: list[dict]) -> None:
        """Who in the finished cohorts gets a certificate, and why the others do not (yet)."""
        rng = self.rng
        finished = sum(s["size"] for s in specs if s["status"] == "finished")
        if finished < N_CERTIFICATES + 200:
            raise RuntimeError(f"only {finished} learners in finished cohorts for {N_CERTIFICATES} certificates")
        kinds = ["cert"] * N_CERTIFICATES
        for _ in range(finished - N_CERTIFICATES):
            kinds.append(rng.choices(("drop", "fail3", "almost-att", "almost-prac", "almost-round"),
                                     weights=(50, 15, 12, 13, 10))[0])
        rng.shuffle(kinds)
        position = 0
        for spec in specs:
            if spec["status"] == "finished":
                spec["kinds"] = kinds[position:position + spec["size"]]
                position += spec["size"]
            else:
                spec["kinds"] = [spec["status"]] * spec["size"]

    def cohorts(self, specs: list[dict]) -> None:
        for spec in specs:
            self.cohort(spec)

    def cohort(self, spec: dict) -> None:
        rng = self.rng
        now = self.now
        org = spec["org"]
        cohort_id = self.ids("cohort")
        context = KIND_CONTEXT[org["kind"]] if rng.random() < 0.9 else None
        first = spec["first"]
        days = [weekday(first + timedelta(days=i * spec["interval"])) for i in range(4)]
        hour, minute = rng.choice(((9, 0), (9, 30), (13, 0), (13, 30)))
        starts = [local_time(d, hour, minute) for d in days]
        length = timedelta(hours=rng.choice((3, 3, 3.5)))
        ends = [s + length for s in starts]
        status = spec["status"]
        created = (starts[0] - timedelta(days=rng.uniform(30, 60))) if status != "planned" else \
            now - timedelta(days=rng.uniform(15, 60))
        season = ("voorjaar", "zomer", "najaar", "winter")[(first.month % 12) // 3]
        name = f"JIMwerkers {org['place']}, {season} {first.year}"
        if rng.random() < 0.3:
            name += f" (groep {rng.randint(2, 4)})"
        self.w.add("cohort", {
            "id": cohort_id, "name": name, "organisation_id": org["id"], "region": org["region"],
            "work_context": context, "starts_on": days[0], "ends_on": days[-1], "status": status,
            "join_code": self.unique(self.join_codes, lambda: "".join(rng.choice(JOIN_ALPHABET) for _ in range(8))),
            "module_slugs": list(self.track_modules), "track_slug": TRACK, "created_at": created})
        trainer_ids = [t[0] for t in spec["trainers"]]
        for trainer in spec["trainers"]:
            self.w.add("cohort_trainer", {"cohort_id": cohort_id, "user_id": trainer[0]})
        weights = [3.0 if s["work_context"] == context else 1.0 for s in self.scenarios]
        session_scenarios = [[]] + [self._pick_scenarios(weights) for _ in range(3)]
        session_ids = []
        for i in range(4):
            session_id = self.ids("cohort_session")
            session_ids.append(session_id)
            online = rng.random() < 0.2
            self.w.add("cohort_session", {
                "id": session_id, "cohort_id": cohort_id, "title": SESSION_TITLES[i], "starts_at": starts[i],
                "ends_at": ends[i],
                "location": None if online else rng.choice(LOCATIONS).format(
                    n=rng.randint(1, 9), m=rng.randint(1, 30), org=org["name"]),
                "online_url": f"https://meet.example.org/jim-{self.token(6)}" if online else None,
                "agenda": AGENDAS[i], "sketches": [s["title"] for s in session_scenarios[i]],
                "checkin_secret": self.rng.randbytes(32).hex(),
                "calendar_uid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4))})
        members = self._members(spec, cohort_id, starts[0], created)
        ended = spec["past"]
        for member in members:
            self._attendance_plan(member, ended)
            for i in range(ended):
                self._mark(member, session_ids[i], starts[i], ends[i], member.attendance[i])
        if status == "planned":
            self._invitations(cohort_id, org, trainer_ids[0])
        issue_day = None
        if status == "finished":
            issue_day = min(ends[-1] + timedelta(days=rng.uniform(2, 21)), now - timedelta(days=2))
        self._progress(spec, members, trainer_ids, starts, ends, issue_day)
        rounds = self._rounds(spec, members, session_ids, starts, ends, session_scenarios, trainer_ids)
        self._practice(spec, members, trainer_ids, spec["trainers"], ends, issue_day)
        if status == "finished":
            self._certificates(cohort_id, org, context, members, spec["trainers"][0], issue_day)
        if spec["reserved"]:
            self._reserved_rounds(spec, cohort_id, members, session_ids, starts, session_scenarios, rounds)
        elif status == "running":
            self.running_members.extend((cohort_id, m) for m in members)
        for member in members:
            self._last_login(member)
        self.w.maybe_flush()

    def _pick_scenarios(self, weights) -> list[dict]:
        first = self.rng.choices(self.scenarios, weights=weights)[0]
        if self.rng.random() < 0.5:
            return [first]
        second = self.rng.choices(self.scenarios, weights=weights)[0]
        return [first] if second is first else [first, second]

    def _members(self, spec: dict, cohort_id: int, first_start: datetime, created: datetime) -> list[Member]:
        rng = self.rng
        org = spec["org"]
        members = []
        nearby = self.orgs_by_region.get(org["region"]) or [org]
        for kind in spec["kinds"]:
            home = org if rng.random() < 0.8 else rng.choice(nearby)
            region = home["region"] if rng.random() < 0.9 else rng.choice(self.regions)
            context = KIND_CONTEXT[home["kind"]] if rng.random() < 0.9 else rng.choice(
                ["jeugdhulp", "wijkteam", "participatiewet", "onderwijs", "dakloze-jongeren", "opleiding", "anders"])
            if spec["status"] == "planned":
                enrolled = self.between(created + timedelta(days=1), self.now - timedelta(days=1))
            else:
                enrolled = self.between(created + timedelta(days=1), first_start - timedelta(days=1))
            number = self.ids("learner")
            email = f"deelnemer-{number:05d}@{DOMAIN}"
            name = self.person_name()
            if rng.random() < 0.03:
                context = None  # the profile field is optional
            member = Member(0, name, email, home["id"], region, context, kind, enrolled)
            member.user_id = self.user(
                email=email, name=name, role="learner", organisation=home["id"], region=region,
                work_context=context,
                created_at=enrolled - timedelta(minutes=rng.uniform(0, 4000)), last_login_at=None,
                enabled=not (kind == "drop" and rng.random() < 0.04),
                skj=str(rng.randint(100_000_000, 999_999_999)) if rng.random() < 0.55 else None,
                locale="en" if rng.random() < 0.02 else "nl")
            member.row = self.last_user_row
            removed = None
            if kind == "drop" and rng.random() < 0.05:
                removed = first_start + timedelta(days=rng.uniform(20, 60))
            self.w.add("enrollment", {
                "id": self.ids("enrollment"), "cohort_id": cohort_id, "user_id": member.user_id,
                "source": rng.choices(("trainer", "code", "invitation", "csv"), weights=(3, 3, 3, 1))[0],
                "enrolled_at": enrolled, "removed_at": removed, "progress_token": None})
            members.append(member)
        return members

    def _attendance_plan(self, member: Member, ended: int) -> None:
        rng = self.rng
        kind = member.kind
        statuses = ["present"] * 4
        if kind == "cert":
            if rng.random() < 0.08:
                statuses[rng.randrange(4)] = "excused"
        elif kind == "almost-att":
            statuses[rng.randrange(4)] = "absent"
        elif kind == "drop":
            stop = rng.randint(1, 3)
            statuses = ["present"] * stop + [rng.choice(("absent", "absent", "excused")) for _ in range(4 - stop)]
        elif kind == "fail3" and rng.random() < 0.3:
            statuses[rng.randrange(4)] = "absent"
        elif kind in ("running", "planned"):
            statuses = [rng.choices(("present", "absent", "excused"), weights=(88, 7, 5))[0] for _ in range(4)]
        member.attendance = {i: statuses[i] for i in range(ended)}

    def _mark(self, member: Member, session_id: int, start: datetime, end: datetime, status: str) -> None:
        rng = self.rng
        if status == "present" and rng.random() < 0.55:
            source, marked = "checkin", start + self.minutes(-12, 25)
        elif status == "excused":
            source, marked = "trainer", start - self.minutes(60, 2880)
        else:
            source, marked = "trainer", end - self.minutes(0, 40)
        self.w.add("attendance", {"id": self.ids("attendance"), "session_id": session_id,
                                  "user_id": member.user_id, "status": status, "source": source,
                                  "marked_at": marked})

    def _invitations(self, cohort_id: int, org: dict, trainer_id: int) -> None:
        rng = self.rng
        for _ in range(rng.randint(0, 4)):
            number = self.ids("invitation")
            created = self.now - timedelta(days=rng.uniform(1, 12))
            self.w.add("invitation", {
                "id": number, "cohort_id": cohort_id, "email": f"uitgenodigd-{number:04d}@bench.example.nl",
                "name": self.person_name(), "organisation_id": org["id"], "skj_number": None,
                "token_hash": hashlib.sha256(self.token().encode()).hexdigest(), "invited_by_id": trainer_id,
                "created_at": created, "expires_at": created + timedelta(days=14), "used_at": None})

    def _progress(self, spec: dict, members: list[Member], reviewers: list, starts: list, ends: list,
                  issue_day: datetime | None) -> None:
        rng = self.rng
        now = self.now
        modules = len(self.modules)
        for member in members:
            begin = member.enrolled_at + self.minutes(30, 600)
            kind = member.kind
            if kind == "cert":
                plan = self.complete_plan()
                end, slack = issue_day - timedelta(days=1), rng.uniform(0.05, 0.6)
            elif kind.startswith("almost"):
                plan = self.complete_plan()
                end, slack = ends[-1] + timedelta(days=7), rng.uniform(0.05, 0.6)
            elif kind == "fail3":
                plan = self.partial_plan(rng.randint(0, modules - 1), "fail3")
                end, slack = ends[-1] + timedelta(days=7), rng.uniform(0.1, 1.0)
            elif kind == "drop":
                plan = self.partial_plan(rng.randint(0, modules - 2), rng.choice(("none", "some", "some")))
                end, slack = ends[-1], rng.uniform(0.5, 3.0)
            elif kind == "running":
                elapsed = (now - starts[0]).days
                share = min(1.0, max(0.0, elapsed / (3 * spec["interval"] + 14)))
                complete = max(0, min(modules, round(rng.gauss(modules * share * 0.9, 1.3))))
                state = rng.choices(("none", "some", "all", "failed"), weights=(35, 45, 12, 8))[0]
                plan = self.partial_plan(complete, state)
                end, slack = now - timedelta(hours=3), rng.uniform(0.1, 1.5)
            else:  # planned
                roll = rng.random()
                plan = [] if roll < 0.65 else self.partial_plan(0, "some") if roll < 0.9 else self.partial_plan(
                    1, "none")
                end, slack = now - timedelta(hours=3), rng.uniform(0.2, 2.0)
            if end <= begin:
                end = begin + timedelta(hours=6)
            self.study(member, plan, begin, end, reviewers, slack)

    def _rounds(self, spec: dict, members: list[Member], session_ids: list, starts: list, ends: list,
                session_scenarios: list, trainers: list) -> list[list]:
        """Released live rounds in the ended sessions (1..3; the first meeting has none)."""
        rng = self.rng
        per_session: list[list] = [[] for _ in range(4)]
        ended = spec["past"]
        for member in members:
            present = [i for i in range(1, ended) if member.attendance.get(i) == "present"]
            kind = member.kind
            if kind == "cert":
                outcomes = rng.choices((["sufficient"] * 2, ["not_yet", "sufficient", "sufficient"],
                                        ["sufficient"] * 3), weights=(80, 12, 8))[0]
                if len(outcomes) > len(present):
                    outcomes = ["sufficient"] * len(present)
            elif kind in ("almost-att", "almost-prac"):
                outcomes = ["sufficient", "sufficient"]
            elif kind == "almost-round":
                outcomes = rng.choice((["sufficient"], ["not_yet", "sufficient"], ["not_yet", "not_yet"]))
            elif kind == "fail3":
                outcomes = rng.choice((["sufficient"], ["sufficient", "sufficient"]))
            elif kind == "drop":
                outcomes = rng.choice(([], ["not_yet"], ["sufficient"]))
            else:
                outcomes = [rng.choices(("sufficient", "not_yet"), weights=(3, 1))[0]
                            for i in present if rng.random() < 0.4]
            outcomes = outcomes[:len(present)]
            chosen = sorted(rng.sample(present, len(outcomes)))
            for session, outcome in zip(chosen, outcomes, strict=True):
                per_session[session].append((member, outcome))
        booked: list[list] = [[] for _ in range(4)]
        for i in range(1, ended):
            plays = per_session[i]
            if not plays and not spec["reserved"]:
                continue
            actors = rng.sample(self.actors, 1 if len(plays) <= 8 else 2 if len(plays) <= 20 else 3)
            booked[i] = actors
            for actor in actors:
                self.w.add("actor_booking", {"id": self.ids("actor_booking"), "session_id": session_ids[i],
                                             "actor_id": actor[0],
                                             "booked_at": starts[i] - timedelta(days=rng.uniform(3, 25))})
            rng.shuffle(plays)
            present = [m for m in members if m.attendance.get(i) == "present"]
            for slot, (member, outcome) in enumerate(plays):
                created = starts[i] + timedelta(minutes=15 + 12 * (slot // len(actors)) + rng.uniform(0, 3))
                self._round(session_ids[i], rng.choice(session_scenarios[i]), member, rng.choice(actors), created,
                            outcome, present, trainers)
        return booked

    def _round(self, session_id: int, scenario: dict, member: Member, actor: tuple, created: datetime,
               outcome: str | None, present: list[Member], trainers: list) -> int:
        rng = self.rng
        round_id = self.ids("role_play_round")
        timer = rng.choice((8, 10, 10, 10, 12, 15))
        released = created + timedelta(minutes=timer + rng.uniform(3, 15)) if outcome else None
        self.w.add("role_play_round", {
            "id": round_id, "session_id": session_id, "scenario_slug": scenario["slug"],
            "professional_id": member.user_id, "player_id": actor[0], "timer_minutes": timer, "outcome": outcome,
            "released_at": released, "created_at": created})
        if outcome is None:
            return round_id
        observers = [m for m in rng.sample(present, min(len(present), 3)) if m is not member][:rng.randint(0, 2)]
        for observer in observers:
            self.w.add("round_observer", {"round_id": round_id, "user_id": observer.user_id})
        scored = created + timedelta(minutes=timer + rng.uniform(0, 3))
        good = outcome == "sufficient"
        random_ = rng.random
        spread = GOOD_LEVELS if good else WEAK_LEVELS
        levels = [spread[int(random_() * len(spread))] for _ in scenario["criteria"]]
        raters = [(trainers[0], "trainer", TRAINER_COMMENTS, 0.3)]
        if len(trainers) > 1 and rng.random() < 0.3:
            raters.append((trainers[1], "trainer", TRAINER_COMMENTS, 0.2))
        if rng.random() < 0.25:
            raters.append((member.user_id, "self", SELF_COMMENTS, 0.3))
        raters.extend((o.user_id, "peer", PEER_COMMENTS, 0.3) for o in observers if rng.random() < 0.2)
        add = self.w.appender("round_score")
        next_id = self.ids.counter("round_score")
        for rater, view, comments, comment_share in raters:
            for criterion, level in zip(scenario["criteria"], levels, strict=True):
                if view != "trainer":
                    level = max(1, min(4, level + SHIFTS[int(random_() * 4)]))
                comment = comments[int(random_() * len(comments))] if random_() < comment_share else ""
                add({"id": next_id(), "round_id": round_id, "rater_id": rater, "view": view,
                     "criterion_id": criterion, "level": level, "comment": comment, "scored_at": scored})
        notes = []
        if rng.random() < 0.3:
            notes.append((actor[0], "actor_feedback", ACTOR_FEEDBACK))
        if rng.random() < 0.2:
            notes.append((member.user_id, "self_reflection", SELF_REFLECTIONS))
        if rng.random() < 0.05:
            notes.append((actor[0], "aftercare", AFTERCARE))
        for author, kind, texts in notes:
            self.w.add("round_note", {"id": self.ids("round_note"), "round_id": round_id, "author_id": author,
                                      "kind": kind, "text": rng.choice(texts),
                                      "written_at": released + timedelta(minutes=rng.uniform(1, 240))})
        return round_id

    def _reserved_rounds(self, spec, cohort_id, members, session_ids, starts, session_scenarios, booked) -> None:
        """Six rounds of the last ended session that the trainer has not scored or released yet."""
        rng = self.rng
        session = spec["past"] - 1
        actors = booked[session]
        present = [m for m in members if m.attendance.get(session) == "present"]
        if len(present) < ROUNDS_PER_TRAINER + 1 or not actors:
            raise RuntimeError(f"trainer cohort {cohort_id}: not enough learners present or no actor booked")
        entries = []
        for slot, member in enumerate(rng.sample(present, ROUNDS_PER_TRAINER + 1)):
            scenario = rng.choice(session_scenarios[session])
            created = starts[session] + timedelta(minutes=100 + 12 * slot + rng.uniform(0, 3))
            round_id = self._round(session_ids[session], scenario, member, rng.choice(actors), created, None,
                                   present, [])
            entries.append({"id": round_id, "criteria": list(scenario["criteria"])})
        trainer = spec["trainers"][0]
        self.trainer_entries.append({"email": trainer[2], "cohort_id": cohort_id,
                                     "rounds": entries[:ROUNDS_PER_TRAINER], "spare": entries[ROUNDS_PER_TRAINER],
                                     "next_session": session_ids[spec["past"]],
                                     "learners": [m.email for m in members]})

    def _practice(self, spec, members, trainer_ids, trainers, ends, issue_day) -> None:
        rng = self.rng
        for member in members:
            kind = member.kind
            if kind == "cert":
                decisions = ["approved"] if rng.random() < 0.85 else ["returned", "approved"]
                first, last = ends[1], issue_day - timedelta(days=2)
            elif kind in ("almost-att", "almost-round"):
                decisions, first, last = ["approved"], ends[1], ends[-1] + timedelta(days=10)
            elif kind == "almost-prac":
                decisions = rng.choice(([None], ["returned"], ["returned", None]))
                first, last = ends[1], ends[-1] + timedelta(days=10)
            elif kind == "fail3" and rng.random() < 0.3:
                decisions, first, last = [None], ends[1], ends[-1] + timedelta(days=10)
            elif kind == "running" and sum(member.passed) >= len(self.modules) - 1 and rng.random() < 0.5:
                decisions = rng.choice(([None], [None], ["approved"], ["returned"]))
                first, last = member.enrolled_at + timedelta(days=5), self.now - timedelta(hours=2)
            else:
                continue
            if last <= first:
                first = last - timedelta(days=3)
            assignment = self.ids("practice_assignment")
            steps = len(decisions) * 2
            moments = sorted(self.between(first, last) for _ in range(steps))
            self.w.add("practice_assignment", {"id": assignment, "user_id": member.user_id, "track_slug": TRACK,
                                               "created_at": moments[0]})
            for number, decision in enumerate(decisions, start=1):
                submitted, reviewed = moments[2 * number - 2], moments[2 * number - 1]
                text, words = rng.choice(self.reflections)
                reviewer = rng.choice(trainers) if decision else None
                feedback = None
                if decision == "approved":
                    feedback = rng.choice(APPROVE_FEEDBACK)
                elif decision == "returned":
                    feedback = rng.choice(RETURN_FEEDBACK)
                self.w.add("practice_version", {
                    "id": self.ids("practice_version"), "assignment_id": assignment, "number": number, "text": text,
                    "word_count": words, "submitted_at": submitted, "decision": decision, "feedback": feedback,
                    "reviewed_by_id": reviewer[0] if reviewer else None,
                    "reviewed_at": reviewed if decision else None})
                if decision:
                    self.audit(f"practice.{decision}", reviewed, reviewer[:2], (member.user_id, member.name),
                               "practice", assignment, track=TRACK, version=number)

    def _certificates(self, cohort_id: int, org: dict, context: str | None, members: list[Member],
                      trainer: tuple, issue_day: datetime) -> None:
        rng = self.rng
        moment = issue_day
        orgs = {o["id"]: o for o in self.orgs}
        for member in members:
            if member.kind != "cert":
                continue
            moment += timedelta(seconds=rng.uniform(30, 240))
            home = orgs[member.organisation]
            certificate_id = self.ids("certificate")
            expires = moment + relativedelta(months=self.track_months)

            def number(at=moment):
                part = "".join(rng.choice(NUMBER_ALPHABET) for _ in range(8))
                return f"JIM-{at.year}-{part[:4]}-{part[4:]}"

            code = self.unique(self.codes, self.token)
            cert_number = self.unique(self.numbers, number)
            revoked = None
            if rng.random() < N_REVOKED / N_CERTIFICATES * 1.0:
                revoked = min(moment + timedelta(days=rng.uniform(3, 200)), self.now - timedelta(hours=30))
            reminders = {}
            for days, column in ((60, "reminder_60_sent_at"), (14, "reminder_14_sent_at")):
                due = expires - timedelta(days=days)
                if due <= self.now and (revoked is None or revoked > due):
                    reminders[column] = due + timedelta(minutes=rng.uniform(60, 600))
                else:
                    reminders[column] = None
            self.w.add("certificate", {
                "id": certificate_id, "number": cert_number, "code": code, "user_id": member.user_id,
                "track_slug": TRACK, "qualification": TRACK, "audience": "learner", "cohort_id": cohort_id,
                "issued_by_id": trainer[0], "issued_at": moment, "expires_at": expires, "holder_name": member.name,
                "track_title": self.track_title, "trainer_name": trainer[1], "organisation_name": home["name"],
                "organisation_kind": home["kind"], "region": member.region or org["region"],
                "work_context": member.work_context or context, "revoked_at": revoked,
                "revoked_by_id": self.admin[0] if revoked else None,
                "revoke_reason": rng.choice(REVOKE_REASONS) if revoked else None, **reminders})
            self.audit("certificate.issued", moment, trainer[:2], (member.user_id, member.name), "certificate",
                       certificate_id, number=cert_number, track=TRACK, cohort=cohort_id,
                       expires_on=expires.date().isoformat())
            if revoked:
                self.audit("certificate.revoked", revoked, self.admin, (member.user_id, member.name), "certificate",
                           certificate_id, rng.choice(REVOKE_REASONS), number=cert_number)
            status = "revoked" if revoked else "valid" if expires > self.now else "expired"
            self.certificates.append((code, status))
            member.last_activity = max(member.last_activity or moment, moment)

    def _last_login(self, member: Member) -> None:
        """Shortly after the last thing the learner did; half of those who did nothing logged in once to join."""
        rng = self.rng
        if member.last_activity is not None:
            member.row["last_login_at"] = min(self.now - self.minutes(60, 600),
                                              member.last_activity + self.minutes(0, 4000))
        elif rng.random() < 0.5:
            member.row["last_login_at"] = member.enrolled_at

    def reflections_pool(self) -> None:
        """Reflections for the practice assignments: invented, no person named, at least the track's words."""
        from jimtraining.certification.practice import word_count

        rng = self.rng
        minimum = (self.track.practice or {}).get("min_words", 300)
        self.reflections = []
        for _ in range(160):
            parts = []
            for heading, paragraphs in REFLECTION_PARTS.items():
                parts.append(heading)
                parts.extend(rng.sample(paragraphs, rng.choice((1, 1, 2))))
            parts.append(rng.choice(REFLECTION_CLOSERS))
            text = "\n\n".join(parts)
            while word_count(text) < minimum:
                heading = rng.choice(list(REFLECTION_PARTS))
                text += "\n\n" + rng.choice(REFLECTION_PARTS[heading])
            self.reflections.append((text, word_count(text)))


# The database ---------------------------------------------------------------------------------------------------

def reset_database(url: str) -> str:
    """Start from nothing; returns the dialect name."""
    engine = sa.create_engine(url)
    dialect = engine.dialect.name
    if dialect == "sqlite":
        engine.dispose()
        path = sa.engine.make_url(url).database
        if not path or path == ":memory:":
            raise SystemExit("give SQLite as a file: sqlite:////abs/path/bench.db")
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    elif dialect == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    else:
        raise SystemExit(f"unsupported database: {dialect}")
    return dialect


def password_hash(rng: random.Random) -> str:
    """One cheap pbkdf2 hash in werkzeug's format, with a seeded salt so every run writes the same rows."""
    from werkzeug.security import check_password_hash

    salt = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(16))
    digest = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), 1000).hex()
    value = f"pbkdf2:sha256:1000${salt}${digest}"
    if not check_password_hash(value, PASSWORD):
        raise RuntimeError("werkzeug does not accept the bench password hash")
    return value


# Reserved accounts ----------------------------------------------------------------------------------------------

def unlocked(builder: Builder, member: Member) -> list[int]:
    """Module indexes that are open for this learner, by the rule of curriculum.services.learner_progress."""
    modules = builder.modules
    result = []
    for index, module in enumerate(modules):
        if member.done[index]:
            result.append(index)
            continue
        missing = [p for p in module.prerequisites
                   if member.done[builder.module_index[p]] < len(modules[builder.module_index[p]].lessons)
                   or not member.passed[builder.module_index[p]]]
        if not missing:
            result.append(index)
    return result


def reserve(builder: Builder, rng: random.Random) -> dict:
    """Pick the load test's accounts among the learners of running cohorts (the trainer cohorts left out).

    - submitters / concurrency learners / answerers: the listed modules are open and have no attempt yet; their quiz
      has no time limit. The four groups (browsers, submitters, concurrency learners, answerers) are disjoint.
    - session start: the learners of the last trainer cohort and its next session (bench/cases.py opens it).
    - browsers: some lessons done, not everything; the lesson's module and the quiz's module are open.
    """
    modules = builder.modules
    candidates = [m for _cohort, m in builder.running_members if sum(m.done)]
    rng.shuffle(candidates)
    no_limit = [i for i, m in enumerate(modules) if not m.quiz.time_limit]

    def fresh(member):
        return [i for i in unlocked(builder, member) if i in no_limit and member.attempted[i] == 0]

    taken: set[int] = set()
    submitters, concurrent, browsers, answerers = [], [], [], []
    for member in candidates:
        if len(browsers) >= N_BROWSERS:
            break
        open_modules = unlocked(builder, member)
        complete = [i for i in open_modules if member.passed[i] and member.done[i] == len(modules[i].lessons)]
        current = [i for i in open_modules if i not in complete]
        if not current:
            continue
        lesson_module = current[0]
        lessons = modules[lesson_module].lessons
        lesson = lessons[min(member.done[lesson_module], len(lessons) - 1)]
        quiz_module = rng.choice(complete) if complete and rng.random() < 0.5 else lesson_module
        browsers.append({"email": member.email,
                         "lesson": f"/modules/{modules[lesson_module].slug}/{lesson}",
                         "quiz": f"/modules/{modules[quiz_module].slug}/quiz"})
        taken.add(member.user_id)
    others = [m for _cohort, m in builder.running_members if m.user_id not in taken]
    rng.shuffle(others)
    for member in others:
        options = fresh(member)
        if not options:
            continue
        if len(concurrent) < N_CONCURRENT:
            concurrent.append({"email": member.email, "module": modules[rng.choice(options)].slug})
        elif len(submitters) < N_SUBMITTERS:
            submitters.append({"email": member.email, "modules": [modules[i].slug for i in options]})
        elif len(answerers) < N_ANSWERERS:
            answerers.append({"email": member.email, "module": modules[rng.choice(options)].slug})
        else:
            break
    if len(browsers) < N_BROWSERS or len(submitters) < N_SUBMITTERS or len(concurrent) < N_CONCURRENT \
            or len(answerers) < N_ANSWERERS:
        raise RuntimeError(f"not enough learners for the load test: {len(browsers)} browsers, "
                           f"{len(submitters)} submitters, {len(concurrent)} concurrency learners, "
                           f"{len(answerers)} answerers")
    trainers = [{"email": e["email"], "cohort_id": e["cohort_id"], "rounds": e["rounds"]}
                for e in builder.trainer_entries]
    concurrency_trainers = [{"email": e["email"], "round_id": e["spare"]["id"], "criteria": e["spare"]["criteria"]}
                            for e in builder.trainer_entries]
    by_status: dict[str, list[str]] = {"valid": [], "expired": [], "revoked": []}
    for code, status in builder.certificates:
        by_status[status].append(code)
    wanted = {"valid": int(N_CODES * 0.7), "expired": int(N_CODES * 0.15)}
    wanted["revoked"] = N_CODES - wanted["valid"] - wanted["expired"]
    codes = []
    for status in ("expired", "revoked"):
        codes.extend(rng.sample(by_status[status], min(wanted[status], len(by_status[status]))))
    codes.extend(rng.sample(by_status["valid"], N_CODES - len(codes)))
    rng.shuffle(codes)
    # The session start: the next session of the last trainer cohort (its trainer is not among the ten that load
    # the trainer pages), all 30 of its learners.
    last = builder.trainer_entries[-1]
    session_start = {"trainer": last["email"], "cohort_id": last["cohort_id"], "session_id": last["next_session"],
                     "learners": last["learners"]}
    return {"browsers": browsers, "submitters": submitters, "answerers": answerers, "trainers": trainers,
            "concurrency": {"learners": concurrent, "trainers": concurrency_trainers}, "certificate_codes": codes,
            "session_start": session_start}


# Entry point ----------------------------------------------------------------------------------------------------

def build(database_url: str, manifest_path: str, seed: int = DEFAULT_SEED, today: date | None = None,
          verbose: bool = False) -> dict:
    """Build the data set in the bench's own database and write the manifest; returns the manifest.

    `today` fixes the day all times count from (default: today, UTC); `verbose` prints the time of each phase."""
    from jimtraining.config import normalise_database_url

    began = time.monotonic()
    url = normalise_database_url(database_url)
    rng = random.Random(seed)
    today = today or datetime.now(UTC).date()
    now = datetime(today.year, today.month, today.day)  # naive UTC, as every moment in the builder
    dialect = reset_database(url)
    phase = time.monotonic()

    def step(message):
        nonlocal phase
        if verbose:
            print(f"  {message:28} {time.monotonic() - phase:6.1f} s", file=sys.stderr, flush=True)
        phase = time.monotonic()

    from flask_migrate import upgrade

    from jimtraining import create_app
    from jimtraining.extensions import db

    # The app's instance folder (mail outbox) goes to a temporary folder, not into the repository.
    saved = os.environ.get("JIM_INSTANCE_PATH")
    os.environ["JIM_INSTANCE_PATH"] = os.path.join(tempfile.gettempdir(), "jim-bench-build-instance")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    finally:
        if saved is None:
            os.environ.pop("JIM_INSTANCE_PATH", None)
        else:
            os.environ["JIM_INSTANCE_PATH"] = saved
    # Only now: create_app imports every model, which the content modules need to be mapped.
    from jimtraining.content_tree import load_content, sync_content

    with app.app_context():
        logging.getLogger("jimtraining").setLevel(logging.WARNING)
        upgrade()
        tree = load_content(app.config["MODULES_DIR"])
        if not tree.ok:
            raise RuntimeError("modules/ has problems: " + "; ".join(str(p) for p in tree.problems[:5]))
        sync_content(tree)
        step("schema and content")
        builder = Builder(None, rng, now, password_hash(rng))
        builder.load_content()
        builder.reflections_pool()
        tables = db.metadata
        db.session.remove()
        db.engine.dispose()
    step("content read")
    writer = Writer(url, dialect, tables)
    try:
        builder.w = writer
        builder.organisations()
        builder.staff()
        specs = builder.cohort_specs()
        builder.people_plan(specs)
        builder.cohorts(specs)
        step("rows built")
        writer.close()
    finally:
        if writer.process.is_alive():
            writer.process.kill()
    step("rows written")
    if verbose:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        print(f"    cpu of the building process      {usage.ru_utime + usage.ru_stime:6.1f} s", file=sys.stderr)
        for name, seconds in sorted(writer.seconds.items(), key=lambda item: -item[1])[:8]:
            print(f"    writing {name:24} {seconds:6.1f} s", file=sys.stderr)
    reserved = reserve(builder, rng)
    names = [t.name for t in tables.sorted_tables]
    with_ids = [t.name for t in tables.sorted_tables if "id" in t.columns]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        if dialect == "postgresql":
            check_foreign_keys(conn, tables)
            _reset_sequences(conn, with_ids)
            conn.commit()
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # as the app's connections have it
        conn.commit()
        counts = {name: conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar() for name in sorted(names)}
    engine.dispose()
    step("finishing")
    manifest = {
        "seed": seed, "database": dialect, "reference_day": today.isoformat(), "password": PASSWORD,
        "build_seconds": round(time.monotonic() - began, 1), "counts": counts, "admin": ADMIN_EMAIL, **reserved,
    }
    path = Path(manifest_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def check_foreign_keys(conn, metadata) -> None:
    """Every reference points at a row (PostgreSQL loads with the foreign-key triggers off; SQLite checks them
    while loading)."""
    problems = []
    for table in metadata.sorted_tables:
        for key in table.foreign_keys:
            child, parent = key.parent, key.column
            missing = conn.exec_driver_sql(
                f'SELECT count(*) FROM "{table.name}" c WHERE c."{child.name}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM "{parent.table.name}" p WHERE p."{parent.name}" = c."{child.name}")').scalar()
            if missing:
                problems.append(f"{table.name}.{child.name}: {missing} rows point at no {parent.table.name}")
    if problems:
        raise RuntimeError("broken references: " + "; ".join(problems))


def _reset_sequences(conn, names: list[str]) -> None:
    """Explicit ids do not move PostgreSQL's sequences: set each past the highest id so the app can insert."""
    for name in names:
        sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": f'"{name}"'}).scalar()
        if sequence:
            conn.execute(sa.text(f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'),
                         {"s": sequence})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True,
                        help="sqlite:////abs/path/bench.db or postgresql+psycopg://user@host:5432/bench")
    parser.add_argument("--manifest", required=True, help="where to write the JSON manifest")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the day times are counted from (default: today, UTC)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    manifest = build(args.database_url, args.manifest, seed=args.seed, today=args.today, verbose=True)
    rows = manifest["counts"]
    print(f"built in {manifest['build_seconds']} s ({manifest['database']}); "
          f"lesson_progress + attempt_answer = {rows['lesson_progress'] + rows['attempt_answer']:,} rows")
    for table, count in rows.items():
        print(f"  {table:22} {count:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
