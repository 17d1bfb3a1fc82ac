"""Two OpenID Connect providers for the SSO tests, running for the whole run (tests/support/sso.py)."""

import threading

import pytest
import werkzeug.serving

from tests.support.sso import Provider, configure, provider_app


@pytest.fixture(scope="session")
def _providers():
    """Two providers (SURFconext and eduID are different issuers), for the whole run."""
    servers, providers = [], []
    for _ in range(2):
        server = werkzeug.serving.make_server("127.0.0.1", 0, provider_app(), threaded=True)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        servers.append((server, thread))
        providers.append(Provider(f"http://127.0.0.1:{server.server_port}"))
    yield providers
    for server, thread in servers:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def surfconext(app, _providers, monkeypatch) -> Provider:
    """SURFconext configured, at the first test provider."""
    configure(app, monkeypatch, "surfconext", _providers[0].issuer)
    return _providers[0]


@pytest.fixture
def eduid(app, _providers, monkeypatch) -> Provider:
    """eduID configured, at the second test provider."""
    configure(app, monkeypatch, "eduid", _providers[1].issuer)
    return _providers[1]
