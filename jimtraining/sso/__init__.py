"""Logging in with an institution account over OpenID Connect: SURFconext (hogeschool and university accounts)
and eduID (for professionals without one).

The package touches accounts at three points: `services.sign_in` / `services.link_account` (find, make or link the
user, through the accounts services), `services.log_in` (the login itself), and the login and profile templates,
which include ``sso/_login_buttons.html`` and ``sso/_profile_links.html``. Providers are configured by environment
(`providers`); `setup.init_app` registers it all; the README's configuration table lists the settings.
"""
