"""The LTI 1.3 / LTI Advantage tool: JIM-training inside a hogeschool's learning platform (Brightspace, Canvas,
Moodle), on pylti1p3next.

- views.py: /lti/login (OIDC), /lti/launch, /lti/jwks.json, /lti/deep-link, /lti/register (Dynamic
  Registration), the admin page /admin/lti;
- launch.py: the library's login and launch with named refusals; services.py: what a launch does;
- toolconf.py: the library's tool configuration from our tables; keys.py: the tool's keys; targets.py: what a
  link opens;
- grades.py: the grade outbox (Assignment and Grade Services); course_sync.py: a course's roster (NRPS) and line items;
- deep_linking.py: Deep Linking 2.0; framing.py: the iframe (CSP frame-ancestors, third-party cookies);
- domains.py: the one place that reaches accounts, cohorts and the curriculum.
"""


def init_app(app) -> None:
    """Register the pages, the `flask lti` commands, grade passback and the cookie session for iframes."""
    from jimtraining.lti import grades
    from jimtraining.lti.cli import lti_cli
    from jimtraining.lti.framing import LtiSessionInterface, frame_for_lti_session
    from jimtraining.lti.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(lti_cli)
    app.session_interface = LtiSessionInterface()
    app.before_request(frame_for_lti_session)
    grades.connect()
