"""An emulated LMS: a small LTI 1.3 platform on PyJWT with its own RSA key, for the test suite.

It does what Brightspace, Canvas or Moodle do with a tool:

- starts the OIDC third-party login at the tool's /lti/login and, on the redirect back to its authorisation
  endpoint, checks the tool's request and signs the launch (an id_token) that it posts to the tool's /lti/launch;
- signs Deep Linking requests, and takes the tool's Deep Linking response (checking its signature against the
  tool's /lti/jwks.json and its `kid`), placing each item as a link with a gradebook column (line item);
- serves its key set, an OAuth 2 token endpoint (client_credentials with a JWT assertion signed by the tool), the
  Assignment and Grade Services score endpoint and the Names and Role Provisioning Services roster.

The tool reaches it over HTTP through `requests`; the tests mount `transport()` as the adapter of the tool's
requests session (jimtraining.lti.toolconf.http_session), so nothing leaves the process.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK
from werkzeug.test import Client

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
LEARNER = [ROLE + "Learner"]
INSTRUCTOR = [ROLE + "Instructor"]
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem", SCORE_SCOPE,
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"]
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"

_KEYS: dict[str, rsa.RSAPrivateKey] = {}


def rsa_key(name: str) -> rsa.RSAPrivateKey:
    """A 2048-bit key per name, made once per test run."""
    if name not in _KEYS:
        _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[name]


def pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@dataclass
class Person:
    sub: str
    name: str
    email: str | None = None
    roles: list = field(default_factory=lambda: list(LEARNER))
    status: str = "Active"


@dataclass
class PlacedLink:
    """A link the platform placed in the course after deep linking."""

    resource_link_id: str
    title: str
    url: str
    custom: dict
    lineitem: str | None


class EmulatedLms:
    def __init__(self, app, issuer: str = "https://lms.hogeschool.example", client_id: str = "jim-tool",
                 deployment_id: str = "deployment-1", key_name: str = "lms"):
        self.app = app
        self.issuer, self.client_id, self.deployment_id = issuer, client_id, deployment_id
        self.key = rsa_key(key_name)
        self.kid = f"{key_name}-key"
        #: Brightspace's key sets have no "alg" on their keys.
        self.keys_without_alg = False
        self.context = {"id": "course-101", "title": "Jeugdzorg en netwerk 2026", "label": "JZN"}
        self.roster: list[Person] = []
        #: What the platform answers at the score endpoint (and its token endpoint) while set: a status code,
        #: or "no answer" (the connection fails).
        self.down: int | str | None = None
        self.scores: list[dict] = []
        self.tokens: dict[str, list[str]] = {}
        self.token_requests: list[dict] = []
        self.placed: list[PlacedLink] = []
        self.lineitems: dict[str, dict] = {}
        self.requests_seen: list[tuple[str, str]] = []

    # Addresses ---------------------------------------------------------------------------------------------
    @property
    def auth_login_url(self):
        return self.issuer + "/oidc/auth"

    @property
    def token_url(self):
        return self.issuer + "/oauth/token"

    @property
    def keyset_url(self):
        return self.issuer + "/jwks"

    @property
    def memberships_url(self):
        return f"{self.issuer}/courses/{self.context['id']}/memberships"

    @property
    def lineitems_url(self):
        return f"{self.issuer}/courses/{self.context['id']}/lineitems"

    @property
    def deep_link_return_url(self):
        return self.issuer + "/deep-linking/return"

    def register(self, runner) -> object:
        """Register this platform with the tool through its command line, as an admin would."""
        result = runner.invoke(args=[
            "lti", "add-platform", "--issuer", self.issuer, "--client-id", self.client_id,
            "--deployment-id", self.deployment_id, "--auth-login-url", self.auth_login_url,
            "--auth-token-url", self.token_url, "--keyset-url", self.keyset_url, "--name", "Hogeschool Noord LMS"])
        assert result.exit_code == 0, result.output
        return result

    # The key set -------------------------------------------------------------------------------------------
    def jwks(self) -> dict:
        public = JWK.from_pem(pem(self.key))
        data = json.loads(public.export_public())
        data["kid"] = self.kid
        data["use"] = "sig"
        if not self.keys_without_alg:
            data["alg"] = "RS256"
        return {"keys": [data]}

    # Launches ----------------------------------------------------------------------------------------------
    def start_login(self, client, person: Person, message_hint: str = "hint", new_window: bool = True,
                    method: str = "POST"):
        """The LMS's page sends the browser to the tool's login initiation URL."""
        params = {"iss": self.issuer, "login_hint": person.sub, "target_link_uri": "http://localhost/lti/launch",
                  "lti_message_hint": message_hint, "client_id": self.client_id,
                  "lti_deployment_id": self.deployment_id}
        if new_window:
            params["lti1p3_new_window"] = "1"
        if method == "GET":
            return client.get("/lti/login?" + urlencode(params))
        return client.post("/lti/login", data=params)

    def authorise(self, login_response) -> dict:
        """The tool sent the browser to our authorisation endpoint: check its request, return its parameters."""
        assert login_response.status_code == 302, login_response.get_data(as_text=True)[:300]
        location = urlsplit(login_response.headers["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == self.auth_login_url
        query = {name: values[0] for name, values in parse_qs(location.query).items()}
        assert query["client_id"] == self.client_id
        assert query["response_type"] == "id_token" and query["response_mode"] == "form_post"
        assert query["scope"] == "openid" and query["prompt"] == "none"
        assert query["state"] and query["nonce"]
        return query

    def claims(self, person: Person, nonce: str, message_type: str = "LtiResourceLinkRequest",
               resource_link: PlacedLink | None = None, target_link_uri: str = "http://localhost/lti/launch",
               custom: dict | None = None, deployment_id: str | None = None, lifetime: int = 300,
               services: bool = True) -> dict:
        now = int(time.time())
        body = {
            "iss": self.issuer, "aud": [self.client_id], "azp": self.client_id, "sub": person.sub,
            "iat": now, "exp": now + lifetime, "nonce": nonce, "name": person.name,
            LTI + "message_type": message_type, LTI + "version": "1.3.0",
            LTI + "deployment_id": deployment_id or self.deployment_id,
            LTI + "target_link_uri": target_link_uri, LTI + "roles": person.roles,
            LTI + "context": dict(self.context, type=["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]),
            LTI + "tool_platform": {"guid": "lms-1", "name": "Hogeschool Noord LMS", "url": self.issuer},
            LTI + "launch_presentation": {"document_target": "iframe", "return_url": self.issuer + "/course/101"},
        }
        if person.email:
            body["email"] = person.email
        if custom:
            body[LTI + "custom"] = custom
        if services:
            body[NRPS] = {"context_memberships_url": self.memberships_url, "service_versions": ["2.0"]}
            body[AGS] = {"scope": AGS_SCOPES, "lineitems": self.lineitems_url}
        if message_type == "LtiResourceLinkRequest":
            link = resource_link or PlacedLink("link-manual", "Handmatige link", target_link_uri, custom or {}, None)
            body[LTI + "resource_link"] = {"id": link.resource_link_id, "title": link.title}
            if link.lineitem and services:
                body[AGS]["lineitem"] = link.lineitem
        else:
            body[DL + "deep_linking_settings"] = {
                "deep_link_return_url": self.deep_link_return_url, "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"], "accept_multiple": True,
                "accept_lineitem": True, "auto_create": True, "data": "opaque-platform-data"}
        return body

    def sign(self, body: dict, key: rsa.RSAPrivateKey | None = None, kid: str | None = None) -> str:
        return jwt.encode(body, pem(key or self.key), algorithm="RS256", headers={"kid": kid or self.kid})

    def launch(self, client, person: Person, *, resource_link: PlacedLink | None = None, custom: dict | None = None,
               target_link_uri: str = "http://localhost/lti/launch", message_type: str = "LtiResourceLinkRequest",
               alter=None, key=None, services: bool = True):
        """The whole launch as a browser inside the LMS goes through it; returns the tool's answer to the launch.
        `alter(claims)` changes the claims before signing; `key` signs with another key."""
        if resource_link is not None:
            custom = custom or resource_link.custom
            target_link_uri = resource_link.url
        query = self.authorise(self.start_login(client, person))
        assert query["redirect_uri"].endswith("/lti/launch")
        body = self.claims(person, query["nonce"], message_type=message_type, resource_link=resource_link,
                           target_link_uri=target_link_uri, custom=custom, services=services)
        if alter is not None:
            alter(body)
        token = self.sign(body, key=key)
        self.last_launch = {"id_token": token, "state": query["state"]}
        return client.post("/lti/launch", data=self.last_launch)

    def replay(self, client):
        """Send the last launch again, as someone who copied it would."""
        return client.post("/lti/launch", data=self.last_launch)

    # Deep linking ------------------------------------------------------------------------------------------
    def tool_jwks(self) -> dict:
        response = Client(self.app).get("/lti/jwks.json")
        assert response.status_code == 200
        return json.loads(response.get_data(as_text=True))

    def verify_tool_jwt(self, token: str, audience: str) -> dict:
        """Check a JWT the tool signed: a kid is required (as Brightspace requires), and it must be in the tool's
        published key set."""
        header = jwt.get_unverified_header(token)
        assert header.get("kid"), "the tool's JWT has no kid"
        key = next(k for k in self.tool_jwks()["keys"] if k["kid"] == header["kid"])
        return jwt.decode(token, jwt.PyJWK(key).key, algorithms=["RS256"], audience=audience)

    def receive_deep_link(self, html: str) -> list[PlacedLink]:
        """The browser posts the tool's auto-submitting form back to us: place the items in the course."""
        action = re.search(r'<form method="post" action="([^"]+)" id="lti-auto-submit"', html).group(1)
        assert action == self.deep_link_return_url
        token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
        body = self.verify_tool_jwt(token, audience=self.issuer)
        assert body["iss"] == self.client_id
        assert body[LTI + "message_type"] == "LtiDeepLinkingResponse"
        assert body[LTI + "deployment_id"] == self.deployment_id
        assert body[DL + "data"] == "opaque-platform-data"
        placed = []
        for number, item in enumerate(body[DL + "content_items"], start=len(self.placed) + 1):
            assert item["type"] == "ltiResourceLink"
            lineitem = None
            if "lineItem" in item:
                lineitem = f"{self.lineitems_url}/{number}"
                self.lineitems[lineitem] = dict(item["lineItem"], id=lineitem, resourceLinkId=f"link-{number}")
            placed.append(PlacedLink(f"link-{number}", item["title"], item["url"], item.get("custom", {}), lineitem))
        self.placed += placed
        return placed

    # Dynamic Registration ----------------------------------------------------------------------------------
    registration_token = "registration-token-1"
    registered_client_id = "dynamic-client"
    registered_deployment_id = "dynamic-deployment"

    @property
    def openid_configuration_url(self):
        return self.issuer + "/.well-known/openid-configuration"

    def openid_configuration(self) -> dict:
        return {"issuer": self.issuer, "authorization_endpoint": self.auth_login_url,
                "token_endpoint": self.token_url, "jwks_uri": self.keyset_url,
                "registration_endpoint": self.issuer + "/register",
                "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                    "product_family_code": "emulated-lms", "version": "1.0"}}

    def _register(self, headers, body: bytes) -> tuple[int, dict, bytes]:
        if headers.get("Authorization") != f"Bearer {self.registration_token}":
            return 401, {}, b"unauthorised"
        tool = json.loads(body)
        self.tool_registration = tool
        assert tool["initiate_login_uri"].endswith("/lti/login")
        assert tool["jwks_uri"].endswith("/lti/jwks.json")
        assert tool["token_endpoint_auth_method"] == "private_key_jwt"
        assert any(uri.endswith("/lti/launch") for uri in tool["redirect_uris"])
        answer = dict(tool, client_id=self.registered_client_id)
        answer["https://purl.imsglobal.org/spec/lti-tool-configuration"] = dict(
            tool["https://purl.imsglobal.org/spec/lti-tool-configuration"], deployment_id=self.registered_deployment_id)
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()

    # Services over HTTP ------------------------------------------------------------------------------------
    def transport(self) -> requests.adapters.BaseAdapter:
        return _Transport(self)

    def handle(self, method: str, url: str, headers, body: bytes) -> tuple[int, dict, bytes]:
        self.requests_seen.append((method, url))
        path = urlsplit(url).path
        if method == "GET" and url == self.keyset_url:
            return 200, {"Content-Type": "application/json"}, json.dumps(self.jwks()).encode()
        if method == "POST" and url == self.token_url:
            return self._token(body)
        if method == "GET" and url == self.openid_configuration_url:
            return 200, {"Content-Type": "application/json"}, json.dumps(self.openid_configuration()).encode()
        if method == "POST" and url == self.issuer + "/register":
            return self._register(headers, body)
        if self.down is not None:
            if self.down == "no answer":
                raise requests.ConnectionError(f"{url}: no answer")
            return int(self.down), {"Content-Type": "text/plain"}, b"service unavailable"
        scopes = self._scopes(headers)
        if scopes is None:
            return 401, {}, b"unauthorised"
        if method == "POST" and path.endswith("/scores"):
            lineitem = url.rsplit("/scores", 1)[0]
            if SCORE_SCOPE not in scopes or lineitem not in self.lineitems:
                return 403 if SCORE_SCOPE not in scopes else 404, {}, b"no"
            assert headers["Content-Type"] == "application/vnd.ims.lis.v1.score+json"
            self.scores.append(dict(json.loads(body), lineitem=lineitem))
            return 204, {}, b""
        if method == "GET" and url.split("?")[0] == self.lineitems_url:
            if not set(scopes) & {AGS_SCOPES[0], AGS_SCOPES[0] + ".readonly"}:
                return 403, {}, b"no"
            return 200, {"Content-Type": "application/vnd.ims.lis.v2.lineitemcontainer+json"}, json.dumps(
                list(self.lineitems.values())).encode()
        if method == "GET" and url.split("?")[0] == self.memberships_url:
            if NRPS_SCOPE not in scopes:
                return 403, {}, b"no"
            members = [{"user_id": p.sub, "name": p.name, "roles": p.roles, "status": p.status,
                        **({"email": p.email} if p.email else {})} for p in self.roster]
            return 200, {"Content-Type": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}, json.dumps(
                {"id": url, "context": self.context, "members": members}).encode()
        return 404, {}, b"not found"

    def _token(self, body: bytes) -> tuple[int, dict, bytes]:
        form = {name: values[0] for name, values in parse_qs(body.decode()).items()}
        self.token_requests.append(form)
        assert form["grant_type"] == "client_credentials"
        assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        claims = self.verify_tool_jwt(form["client_assertion"], audience=self.token_url)
        assert claims["iss"] == claims["sub"] == self.client_id
        token = uuid.uuid4().hex
        self.tokens[token] = form["scope"].split()
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": form["scope"]}).encode()

    def _scopes(self, headers) -> list | None:
        auth = headers.get("Authorization", "")
        return self.tokens.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None


class _Transport(requests.adapters.BaseAdapter):
    """A requests adapter that hands every request to the emulated LMS instead of the network."""

    def __init__(self, lms: EmulatedLms):
        super().__init__()
        self.lms = lms

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        if not request.url.startswith(self.lms.issuer):
            raise requests.ConnectionError(f"no network in the tests: {request.url}")
        status, headers, content = self.lms.handle(request.method, request.url, request.headers, body)
        response = requests.Response()
        response.status_code, response._content, response.url = status, content, request.url
        response.headers.update(headers)
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass
