"""What the tests share: the app and its database, the CSRF test client and logins, factories, the certification
world, a frozen clock, the mail outbox, the shared limiter, and the content each domain's tests write.

tests/conftest.py loads the fixture modules with ``pytest_plugins``; test files import helpers and constants from
here (``from tests.support.database import count_queries``), never from a conftest.py.
"""
