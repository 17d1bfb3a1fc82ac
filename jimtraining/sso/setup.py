"""Registering the institution logins with the app (create_app calls init_app)."""


from flask import Flask

#: Login callbacks per client address (Flask-Limiter syntax), as LOGIN_LIMIT_PER_IP for the password login.
DEFAULT_LIMIT_PER_IP = "30 per minute; 300 per hour"


def init_app(app: Flask) -> None:
    """Read the provider settings from the environment (settings given to create_app win), check them, and
    register the routes and template helpers."""
    from jimtraining.sso import models as _models  # noqa: F401 - registers the table
    from jimtraining.sso import providers
    from jimtraining.sso.services import links_of
    from jimtraining.sso.views import bp

    app.config.update(providers.from_environment(app.config))
    app.config.setdefault("SSO_LIMIT_PER_IP", DEFAULT_LIMIT_PER_IP)
    problems = providers.settings_problems(app.config)
    if problems:
        raise RuntimeError("\n".join(problems))
    app.register_blueprint(bp)
    app.jinja_env.globals["sso_providers"] = providers.configured
    app.jinja_env.globals["sso_links"] = links_of
