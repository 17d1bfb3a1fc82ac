"""Certificates with their Open Badges, the vendored 1EdTech schema, and a guard that fails on any network use."""

import json
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from jimtraining.accounts.models import User
from jimtraining.certification.models import Track
from jimtraining.certification.services import create_certificate, revoke_certificate
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow
from tests.credentials.badges import NetworkUsedError
from tests.support.certification import Issued

SCHEMA_FILE = (Path(__file__).resolve().parents[1] / "fixtures" / "third_party" / "openbadges"
               / "ob_v3p0_achievementcredential_schema.json")
REQUIREMENTS = {"modules": ["basis", "verder"], "quizzes": ["basis"], "attendance_percent": 80,
                "roleplay_sufficient": 2, "practice": {"min_words": 20, "prompt": "Schrijf over je werk."}}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Every test here fails when anything opens a network connection or looks up a host name: the JSON-LD
    contexts must come from the library's bundled files, and nothing is resolved over the network. (PostgreSQL is
    reached through libpq, not through Python's socket module.) Returns the addresses that were tried."""
    tried = []

    def refuse(*args, **_kwargs):
        tried.append(args)
        raise NetworkUsedError(f"network use attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", lambda self, address: refuse(address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: refuse(address))
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield tried
    assert not tried, f"the network was used: {tried}"


@pytest.fixture(scope="session")
def schema_validator():
    """1EdTech's OB 3.0 AchievementCredential JSON Schema (draft 2019-09), with its formats checked."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator
    validator.check_schema(schema)
    return validator(schema, format_checker=validator.FORMAT_CHECKER)


@pytest.fixture
def track(synced_content):
    track = Track(slug="jimwerker", title="JIMwerker", summary="Voor professionals die met JIMs werken.",
                  audience="learner", valid_months=36, requirements=REQUIREMENTS)
    refresher = Track(slug="jimwerker-opfrissen", title="JIMwerker opfrissen", summary="Verlengen.",
                      audience="learner", valid_months=36, renews="jimwerker",
                      requirements={"modules": ["verder"]}, position=1)
    db.session.add_all([track, refresher])
    db.session.commit()
    return track


@dataclass
class People:
    trainer: User
    admin: User
    anna: User
    bram: User
    chris: User


@pytest.fixture
def people(make_user) -> People:
    return People(trainer=make_user(role="trainer", name="Tineke Trainer"),
                  admin=make_user(role="admin", name="Anja Admin"),
                  anna=make_user(name="Anna de Vries"), bram=make_user(name="Bram Bakker"),
                  chris=make_user(name="Chris Claassen"))


@pytest.fixture
def issued(track, people) -> Issued:
    """A valid, an expired and a revoked certificate, each signed off (with its credential) as the ORM writes it."""
    now = utcnow()
    valid = create_certificate(people.anna, people.trainer, track, None, now - timedelta(days=3))
    expired = create_certificate(people.bram, people.trainer, track, None, now - timedelta(days=365 * 3 + 5))
    revoked = create_certificate(people.chris, people.trainer, track, None, now - timedelta(days=10))
    db.session.commit()
    revoke_certificate(revoked, people.admin, "Afgetekend bij vergissing.")
    return Issued(valid=valid, expired=expired, revoked=revoked)
