"""Providers are configured by environment; a half-configured one stops the app, an unconfigured one is absent."""

import pytest

from jimtraining import create_app
from jimtraining.sso.claims import identity_from_claims
from jimtraining.sso.providers import from_environment, settings_problems
from tests.support.database import config_for_tests

COMPLETE = {"SURFCONEXT_ISSUER": "https://connect.surfconext.example", "SURFCONEXT_CLIENT_ID": "jim",
            "SURFCONEXT_CLIENT_SECRET": "geheim"}


def test_provider_settings_come_from_the_environment_unless_given(app):
    environ = {**COMPLETE, "SURFCONEXT_ISSUER": "https://connect.surfconext.example/", "EDUID_LOGIN_HINT": "x",
               "EDUID_CLIENT_ID": " "}
    found = from_environment({"SURFCONEXT_CLIENT_ID": "given"}, environ)
    assert found == {"SURFCONEXT_ISSUER": "https://connect.surfconext.example", "SURFCONEXT_CLIENT_SECRET": "geheim",
                     "EDUID_LOGIN_HINT": "x"}


def test_a_half_configured_provider_stops_the_app_with_a_clear_message(app):
    config = {"SURFCONEXT_ISSUER": "https://connect.surfconext.example"}
    [problem] = settings_problems(config)
    assert "SURFCONEXT_CLIENT_ID, SURFCONEXT_CLIENT_SECRET must be set as well" in problem
    with pytest.raises(RuntimeError, match="SURFCONEXT_CLIENT_ID"):
        create_app(config_for_tests("sqlite://", **config))


def test_in_production_a_provider_is_reached_over_https_only(app):
    assert settings_problems({**COMPLETE, "PRODUCTION": True}) == []
    [problem] = settings_problems({**COMPLETE, "SURFCONEXT_ISSUER": "http://connect.surfconext.example",
                                   "PRODUCTION": True})
    assert "https" in problem


def test_surfconext_style_claims_give_the_identity(app):
    identity = identity_from_claims("surfconext", "https://connect.surfconext.example", {
        "sub": "0123abcd", "email": " Sanne.deStudent@Hogeschool.example ", "given_name": "Sanne",
        "family_name": "de Student", "schac_home_organization": "Hogeschool.example",
        "edu_person_principal_name": "S1234567@hogeschool.example",  # the name SURF's claims table used before
        "email_verified": "true"})
    assert identity.email == "sanne.destudent@hogeschool.example"
    assert identity.email_verified is False  # only a JSON true counts
    assert identity.name == "Sanne de Student"
    assert identity.principal_name == "s1234567@hogeschool.example"
    assert identity.home_organization == "hogeschool.example"


def test_claims_that_are_not_what_they_should_be_are_left_out(app):
    identity = identity_from_claims("eduid", "https://eduid.example", {
        "sub": "x", "email": "geen adres", "name": "Piet\x00\nProfessional",
        "eduperson_principal_name": "zonder-scope"})
    assert (identity.email, identity.principal_name, identity.name) == (None, None, "Piet Professional")
