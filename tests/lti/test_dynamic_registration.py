"""Dynamic Registration: an admin makes a registration address, the LMS opens it, and the platform can launch."""

import re

from sqlalchemy import select

from jimtraining.extensions import db
from jimtraining.lti.models import LtiPlatform
from tests.lti.platform import Person


def registration_address(client_for, make_user) -> str:
    admin = client_for(make_user(role="admin"))
    response = admin.submit("/admin/lti/registrations", {"name": "Moodle Hogeschool Oost"}, page="/admin/lti",
                            follow_redirects=True)
    return re.search(r"(http://localhost/lti/register/[A-Za-z0-9_-]+)", response.get_data(as_text=True)).group(1)


def test_a_platform_registers_itself_and_can_launch(unregistered_lms, client_for, make_user, browser):
    lms = unregistered_lms
    address = registration_address(client_for, make_user)
    path = address.removeprefix("http://localhost")
    params = {"openid_configuration": lms.openid_configuration_url, "registration_token": lms.registration_token}
    frame = browser()

    page = frame.get(path, query_string=params)
    assert page.status_code == 200 and lms.issuer in page.get_data(as_text=True)
    done = frame.post(path, data=params)

    assert done.status_code == 200 and 'id="lti-registered"' in done.get_data(as_text=True)
    platform = db.session.scalar(select(LtiPlatform))
    assert (platform.name, platform.issuer, platform.client_id, platform.deployment_ids) == (
        "Moodle Hogeschool Oost", lms.issuer, lms.registered_client_id, [lms.registered_deployment_id])
    lms.client_id, lms.deployment_id = lms.registered_client_id, lms.registered_deployment_id
    assert lms.launch(browser(), Person("sub-1", "Sanne")).status_code == 302
    assert frame.post(path, data=params).status_code == 404  # one registration per address


def test_a_registration_address_that_is_not_one_does_not_exist(client):
    assert client.get("/lti/register/made-up", query_string={"openid_configuration": "https://x.example/c"}
                      ).status_code == 404


def test_a_registration_the_lms_refuses_says_so(unregistered_lms, client_for, make_user, browser):
    lms = unregistered_lms
    path = registration_address(client_for, make_user).removeprefix("http://localhost")

    response = browser().post(path, data={"openid_configuration": lms.openid_configuration_url,
                                          "registration_token": "wrong"})

    assert response.status_code == 422 and "niet gelukt" in response.get_data(as_text=True)
    assert db.session.scalar(select(LtiPlatform)) is None
