"""Who may do what: the one declared table that tests/security/test_access_matrix.py checks every route against.

ACCESS maps an endpoint name (as in ``app.url_map``) to ``{method: {role: outcome}}`` for GET and POST (HEAD and
OPTIONS are left out, and so is ``static``). Every method a route accepts needs an outcome for every role in ROLES.

Roles (one account each in the test world, see test_access_matrix.build_world):

    anonymous       not logged in
    learner         learner, member of cohort A (owns the quiz attempts, the practice run, the practice assignment
                    and the certificate; the professional in the live round)
    learner_b       learner, member of cohort B only
    actor           trainee actor, booked for session A; plays the young person in the live round
    actor_unbooked  trainee actor, booked for nothing
    trainer         trainer of cohort A, with a valid JIM-trainer licence
    trainer_b       trainer of cohort B (also licensed)
    admin           admin

Outcomes:

    "ok"              GET: 2xx, or a redirect that is not the login gate. POST: access granted, which is any 2xx, 3xx
                      (other than the login gate), 400 or 422; minimal or empty form data is sent, so a refused form
                      counts as "access passed".
    "bad"             POST only, stricter: 400/422 (the form was refused after access passed).
    "ok-destructive"  as "ok", but the request changes the world in a way that would break later requests (logout,
                      deactivate, remove from a group, sign-off...): it runs last, on a freshly built world.
    "login"           a redirect to /login?next=... (the login gate). A plain redirect to /login (logout) is "ok".
    "forbidden"       403.
    "notfound"        404, where the app hides that the object exists.
    "unauthorized"    401: the public API (/api/v1) wants a token, not a login; no role has one here. What tokens
                      may read is the matrix of API_TOKEN_ACCESS below (tests/api/test_access_matrix.py).

For "login", "forbidden", "notfound" and "unauthorized" the database must be exactly the same before and after the
request. The test also checks that no GET changes the database, for any role.

URL parameters are filled from PARAMS (parameter name -> key of the test world); a key "<blueprint>.<param>" wins
over the plain parameter name for that blueprint, and ENDPOINT_PARAMS wins over both for one endpoint.

To add a route: add an entry below with the expected answer for every role, using the helpers.
"""

ROLES = ("anonymous", "learner", "learner_b", "actor", "actor_unbooked", "trainer", "trainer_b", "admin")

OK, BAD, DESTRUCTIVE, LOGIN, FORBIDDEN, NOTFOUND = "ok", "bad", "ok-destructive", "login", "forbidden", "notfound"
UNAUTHORIZED = "unauthorized"
OUTCOMES = (OK, BAD, DESTRUCTIVE, LOGIN, FORBIDDEN, NOTFOUND, UNAUTHORIZED)


def roles(base: dict | None = None, **changes: str) -> dict:
    """A full role -> outcome row: ``base`` (or all forbidden) with some roles changed."""
    row = dict(base) if base is not None else dict.fromkeys(ROLES, FORBIDDEN)
    unknown = set(changes) - set(ROLES)
    assert not unknown, f"unknown roles {sorted(unknown)}"
    row.update(changes)
    return row


def only(*allowed: str, outcome: str = OK) -> dict:
    """Logged-in roles in ``allowed`` get ``outcome``; other logged-in roles 403; anonymous the login gate."""
    return roles(anonymous=LOGIN, **dict.fromkeys(allowed, outcome))


def destructive(row: dict) -> dict:
    """The same row, with every "ok" run last on a fresh world."""
    return {role: DESTRUCTIVE if outcome == OK else outcome for role, outcome in row.items()}


def form_refused(row: dict) -> dict:
    """The same row, with every "ok" expected as "bad" (400/422): the empty form is refused after access passed."""
    return {role: BAD if outcome == OK else outcome for role, outcome in row.items()}


#: Everyone, also without an account.
PUBLIC = dict.fromkeys(ROLES, OK)
#: Every logged-in role (anonymous goes to the login).
ANY_USER = roles(dict.fromkeys(ROLES, OK), anonymous=LOGIN)
#: roles_required("learner").
LEARNERS = only("learner", "learner_b")
#: roles_required("actor").
ACTORS = only("actor", "actor_unbooked")
#: trainer_required: every trainer and admins.
TRAINER_ADMIN = only("trainer", "trainer_b", "admin")
#: admin_required.
ADMIN_ONLY = only("admin")
#: The public API's endpoints that need a token: a login is no key (401 for every role).
NO_TOKEN = dict.fromkeys(ROLES, UNAUTHORIZED)
#: A page or action of cohort A: its trainer and admins; cohort B's trainer gets 403.
COHORT_A_STAFF = only("trainer", "admin")
#: The learner's own object (quiz attempt, practice run): everyone else gets 404, as if it did not exist.
OWNER_ONLY = roles(dict.fromkeys(ROLES, NOTFOUND), anonymous=LOGIN, learner=OK)
#: Session A's pages: members of A and A's staff. A booked actor is not a member of the group.
COHORT_A_MEMBERS_AND_STAFF = only("learner", "trainer", "admin")
#: The live round in session A: its trainer(s), the professional (learner) and the booked actor who plays.
ROUND_PEOPLE = only("learner", "actor", "trainer", "admin")


def same(row: dict, *methods: str) -> dict:
    return {method: row for method in methods}


GET = "GET"
POST = "POST"

ACCESS: dict[str, dict[str, dict[str, str]]] = {
    # --- main ---------------------------------------------------------------------------------------------------
    "main.index": {GET: PUBLIC},
    "main.healthz": {GET: PUBLIC},
    # The requester's address decides, not the role: the test client is 127.0.0.1, in METRICS_ALLOW by default.
    # Other addresses and tokens: tests/main/test_observability.py.
    "metrics": {GET: PUBLIC},
    "main.set_language": {POST: PUBLIC},

    # --- accounts -----------------------------------------------------------------------------------------------
    "accounts.login": same(PUBLIC, GET, POST),  # logged-in people are sent to the start page
    "accounts.logout": {POST: destructive(PUBLIC)},
    "accounts.profile": same(ANY_USER, GET, POST),
    "accounts.change_password": same(ANY_USER, GET, POST),
    "accounts.sessions": {GET: ANY_USER},  # one's own login sessions only
    # One of the learner's other login sessions (build_world): theirs to end; for everyone else it does not exist.
    # Before end_other_sessions, which ends it as well.
    "accounts.end_session": {POST: OWNER_ONLY},
    "accounts.end_other_sessions": {POST: ANY_USER},
    "admin.users": {GET: ADMIN_ONLY},
    "admin.user_new": same(ADMIN_ONLY, GET, POST),
    "admin.user_edit": same(ADMIN_ONLY, GET, POST),
    "admin.user_deactivate": {POST: destructive(ADMIN_ONLY)},
    "admin.user_activate": {POST: ADMIN_ONLY},
    # Password reset: the link in the mail is the key (a link for the learner, see build_world).
    "accounts.forgot_password": {GET: PUBLIC},
    "accounts.forgot_password_send": {POST: PUBLIC},
    "accounts.reset_password": {GET: PUBLIC},
    "accounts.reset_password_save": {POST: PUBLIC},

    # --- sso (SURFconext, eduID) ---------------------------------------------------------------------------------
    # This world configures no provider, and the routes of a provider that is not configured do not exist (404);
    # linking asks to log in first. tests/sso/ checks these routes with a provider configured.
    "sso.login": {GET: dict.fromkeys(ROLES, NOTFOUND)},
    "sso.callback": {GET: dict.fromkeys(ROLES, NOTFOUND)},
    "sso.link": {POST: roles(dict.fromkeys(ROLES, NOTFOUND), anonymous=LOGIN)},

    # --- privacy ------------------------------------------------------------------------------------------------
    "privacy.export_json": {GET: ANY_USER},  # one's own data only
    "admin.erase_confirm": {GET: ADMIN_ONLY},
    "admin.erase": {POST: destructive(ADMIN_ONLY)},

    # --- curriculum ---------------------------------------------------------------------------------------------
    "curriculum.overview": {GET: ANY_USER},
    "curriculum.module": {GET: ANY_USER},
    "curriculum.lesson": {GET: ANY_USER},
    "curriculum.module_file": {GET: ANY_USER},
    "curriculum.mark_done": {POST: ANY_USER},
    "curriculum.mark_not_done": {POST: ANY_USER},
    # The course unit for hogescholen: for lecturers and trainers (trainer role) and admins; learners and actors
    # do not need it.
    "courseunit.overview": {GET: TRAINER_ADMIN},
    "courseunit.part": {GET: TRAINER_ADMIN},

    # --- quizzes ------------------------------------------------------------------------------------------------
    "quizzes.quiz": {GET: ANY_USER},
    "quizzes.start": {POST: ANY_USER},  # everyone may take a quiz; it starts their own attempt
    "quizzes.attempt": {GET: OWNER_ONLY},  # the learner's attempt in progress
    "quizzes.save": {POST: OWNER_ONLY},
    "quizzes.submit": {POST: destructive(OWNER_ONLY)},
    # A handed-in attempt of the learner (ENDPOINT_PARAMS): its owner and the trainers of the owner's cohorts.
    "quizzes.result": {GET: roles(OWNER_ONLY, trainer=OK, admin=OK)},
    "quizzes.overview": {GET: TRAINER_ADMIN},
    "coverage.overview": {GET: TRAINER_ADMIN},  # competences x goals x questions x criteria: authors, lecturers
    "quizzes.results": {GET: TRAINER_ADMIN},  # a trainer sees only their own learners in it
    "quizzes.results_csv": {GET: TRAINER_ADMIN},
    "quizzes.statistics": {GET: TRAINER_ADMIN},
    "quizzes.review_queue": {GET: TRAINER_ADMIN},
    "quizzes.review": same(COHORT_A_STAFF, GET, POST),  # the learner's open answer

    # --- calibration (reference rounds) ----------------------------------------------------------------------
    # Trainers, and learners on a track for future trainers (none in this world: its track is for professionals).
    "calibration.index": {GET: only("trainer", "trainer_b")},
    # The trainer scored the world's reference round already (a POST goes to the result); B's trainer sends an
    # empty form, refused with 400 after access passed.
    "calibration.score": same(only("trainer", "trainer_b"), GET, POST),
    # The trainer's calibration: for everyone else it does not exist.
    "calibration.result": {GET: roles(dict.fromkeys(ROLES, NOTFOUND), anonymous=LOGIN, trainer=OK)},
    "admin.calibration": {GET: ADMIN_ONLY},

    # --- scenarios (practice) -----------------------------------------------------------------------------------
    "scenarios.index": {GET: ANY_USER},
    "scenarios.show": {GET: ANY_USER},
    "scenarios.start": {POST: ANY_USER},
    "scenarios.play": {GET: OWNER_ONLY},
    "scenarios.choose": {POST: OWNER_ONLY},
    "scenarios.back": {POST: OWNER_ONLY},
    "scenarios.result": {GET: OWNER_ONLY},
    "scenarios.choices": {GET: TRAINER_ADMIN},

    # --- live role-play -----------------------------------------------------------------------------------------
    "roleplay.book": {POST: COHORT_A_STAFF},
    "roleplay.create": {POST: COHORT_A_STAFF},
    "roleplay.round": {GET: ROUND_PEOPLE},
    # The player (actor) does not score; scores come from trainers, observers and the professional.
    "roleplay.scores": {POST: roles(ROUND_PEOPLE, actor=FORBIDDEN)},
    # Each person writes only the note of their own part (POST_DATA sends that kind); trainers write none.
    "roleplay.notes": {POST: only("learner", "actor")},
    "roleplay.release": {POST: COHORT_A_STAFF},
    # Round not released yet: the professional sees nothing of the assessment (see VARIANTS for after release).
    "roleplay.debrief": {GET: COHORT_A_STAFF},
    "roleplay.actor_home": same(ACTORS, GET, POST),

    # --- cohorts ------------------------------------------------------------------------------------------------
    "cohorts.index": {GET: TRAINER_ADMIN},
    "cohorts.new": same(TRAINER_ADMIN, GET, POST),
    "cohorts.edit": same(COHORT_A_STAFF, GET, POST),
    "cohorts.dashboard": {GET: COHORT_A_STAFF},
    "cohorts.export": {GET: COHORT_A_STAFF},
    "cohorts.learner": {GET: COHORT_A_STAFF},
    "cohorts.remove": {POST: destructive(COHORT_A_STAFF)},
    "cohorts.rotate_code": {POST: COHORT_A_STAFF},
    "cohorts.invite": same(COHORT_A_STAFF, GET, POST),
    "cohorts.upload": same(COHORT_A_STAFF, GET, POST),
    "cohorts.upload_confirm": {POST: form_refused(COHORT_A_STAFF)},  # no signed payload: 400
    "cohorts.session_new": same(COHORT_A_STAFF, GET, POST),
    "cohorts.session_edit": same(COHORT_A_STAFF, GET, POST),
    "cohorts.session": same(COHORT_A_MEMBERS_AND_STAFF, GET, POST),  # check-in (learner) / attendance (staff)
    "cohorts.session_code": {GET: COHORT_A_STAFF},  # the check-in code on the projector
    "cohorts.attendance": same(COHORT_A_STAFF, GET, POST),  # attendance in the room (one tap per learner)
    "cohorts.session_ics": {GET: COHORT_A_MEMBERS_AND_STAFF},
    "cohorts.cohort_ics": {GET: COHORT_A_MEMBERS_AND_STAFF},
    "cohorts.join": same(LEARNERS, GET, POST),
    # An invitation for a new e-mail address: the link itself is the key, so anyone holding it sees the form.
    "cohorts.accept": same(PUBLIC, GET, POST),
    "admin.organisations": same(ADMIN_ONLY, GET, POST),
    "admin.outbox": {GET: ADMIN_ONLY},
    "admin.jobs_page": {GET: ADMIN_ONLY},
    "admin.job_retry": {POST: ADMIN_ONLY},

    # --- certification ------------------------------------------------------------------------------------------
    "certification.mine": {GET: ANY_USER},
    "certification.skj_export": {GET: ANY_USER},
    # Only learners whose active cohort follows the track (A and B both follow it); POST: an empty text is refused.
    "certification.practice": {GET: LEARNERS, POST: form_refused(LEARNERS)},
    # The learner's certificate, signed in cohort A: the holder, A's trainers, admins.
    "certification.certificate_pdf": {GET: only("learner", "trainer", "admin")},
    "certification.practice_queue": {GET: COHORT_A_STAFF},
    "certification.practice_review": {GET: COHORT_A_STAFF, POST: form_refused(COHORT_A_STAFF)},
    # Signing a candidate's observed co-training: the trainers of the session's cohort (an admin passes access but
    # holds no licence, so the service refuses; the empty form is refused first).
    "certification.co_training_sign": {GET: COHORT_A_STAFF, POST: form_refused(COHORT_A_STAFF)},
    # Sign-off for an eligible learner of A (ENDPOINT_PARAMS): only a licensed trainer of the group, never an admin.
    # GET (and a POST without the confirmation) shows the preview; the confirmed POST issues the certificate.
    "certification.sign_off": {GET: only("trainer"), POST: destructive(only("trainer"))},
    # Issue 19 item 3: the SKJ accreditation of a cohort's run and its points list (the test track has none, so the
    # list sends its staff to the accreditation page).
    "certification.accreditation": {GET: COHORT_A_STAFF, POST: form_refused(COHORT_A_STAFF)},
    "certification.cohort_skj_export": {GET: COHORT_A_STAFF},
    # Issue 19 item 2: the edubadges direct-award files of a class (its lecturer, who is its trainer, and admins).
    "edubadges.export": {GET: COHORT_A_STAFF, POST: form_refused(COHORT_A_STAFF)},
    "certification.verify": {GET: PUBLIC},
    "certification.verify_json": {GET: PUBLIC},
    "certification.public_progress": {GET: PUBLIC},
    "admin.licences": {GET: ADMIN_ONLY, POST: form_refused(ADMIN_ONLY)},
    "admin.withdraw_licence": {POST: ADMIN_ONLY},  # no reason given: nothing is withdrawn
    "admin.certificates": {GET: ADMIN_ONLY},
    "admin.certificate": {GET: ADMIN_ONLY, POST: form_refused(ADMIN_ONLY)},
    "admin.audit_log": {GET: ADMIN_ONLY},
    "admin.audit_export": {GET: ADMIN_ONLY},
    "admin.national": {GET: ADMIN_ONLY},
    "admin.national_export": {GET: ADMIN_ONLY},

    # --- credentials (Open Badges 3.0) --------------------------------------------------------------------------
    # Public like the verification page: the certificate's code is the key to its credential; the issuer, the
    # achievements and the revocation list hold no personal data and wallets and verifiers must be able to read them.
    "credentials.credential_json": {GET: PUBLIC},
    "credentials.download_json": {GET: PUBLIC},
    "credentials.download_svg": {GET: PUBLIC},
    "credentials.download_png": {GET: PUBLIC},
    "credentials.achievement": {GET: PUBLIC},
    "credentials.achievement_svg": {GET: PUBLIC},
    "credentials.achievement_png": {GET: PUBLIC},
    "credentials.issuer": {GET: PUBLIC},
    "credentials.status_list": {GET: PUBLIC},
    # did:web only when BASE_URL is an https:// address (tests/credentials/test_issuer_and_keys.py); the test world
    # has none, so there is no DID document for anyone.
    "credentials.did_document": {GET: dict.fromkeys(ROLES, NOTFOUND)},
    "credentials.did_document_path": {GET: dict.fromkeys(ROLES, NOTFOUND)},

    # --- lti (the LTI 1.3 tool, jimtraining/lti) -----------------------------------------------------------------
    # Called by learning platforms from another site: no CSRF token, no login. Without the platform's parameters
    # the login shows its cookie check, whose next step refuses; a launch without a signed token is refused (400).
    "lti.login": same(PUBLIC, GET, POST),
    "lti.launch": {POST: form_refused(PUBLIC)},
    "lti.jwks": {GET: PUBLIC},
    # Only after a Deep Linking launch by an instructor (the session holds the platform's request): 403 without.
    "lti.deep_link": same(only(), GET, POST),
    "lti.admin": {GET: ADMIN_ONLY},
    # Common Cartridge downloads (issue 18 item 3): lecturers are trainers of a hogeschool class.
    "cartridge.common_cartridge": {GET: TRAINER_ADMIN},
    "cartridge.thin_cartridge": {GET: TRAINER_ADMIN},
    "lti.admin_add": {POST: form_refused(ADMIN_ONLY)},
    "lti.admin_remove": {POST: destructive(ADMIN_ONLY)},
    "lti.admin_invite": {POST: ADMIN_ONLY},
    # Dynamic Registration: the secret address is the key; an address that is not one does not exist for anyone.
    "lti.register": same(roles(dict.fromkeys(ROLES, NOTFOUND)), GET, POST),

    # --- api (the public REST API v1, jimtraining/api) -----------------------------------------------------------
    # A login is no key to the API: without a token every role gets 401 (tokens: API_TOKEN_ACCESS below). The
    # document and its documentation page are public; the admin makes and revokes tokens.
    "api.professionals": {GET: NO_TOKEN},
    "api.professional": {GET: NO_TOKEN},
    "api.cohorts": {GET: NO_TOKEN},
    "api.cohort": {GET: NO_TOKEN},
    "api.national": {GET: NO_TOKEN},
    "api.organisation": {GET: NO_TOKEN},
    "api_pages.openapi_json": {GET: PUBLIC},
    "api_pages.docs": {GET: PUBLIC},
    "api_pages.tokens_page": {GET: ADMIN_ONLY, POST: form_refused(ADMIN_ONLY)},
    "api_pages.revoke": {POST: destructive(ADMIN_ONLY)},
}

#: What a token may read (tests/api/test_access_matrix.py): every route under /api/v1 -> the scope it needs (None:
#: any valid token), or PUBLIC_API for the routes that need none. A token of another organisation gets 404 for an
#: object (as if it did not exist) and never sees another organisation's rows in a list.
PUBLIC_API = "public"
API_TOKEN_ACCESS = {
    "api.professionals": "professionals:read",
    "api.professional": "professionals:read",
    "api.cohorts": "cohorts:read",
    "api.cohort": "cohorts:read",
    "api.national": "national:read",
    "api.organisation": None,
    "certification.verify_json": PUBLIC_API,
    "credentials.credential_json": PUBLIC_API,
    "api_pages.openapi_json": PUBLIC_API,
    "api_pages.docs": PUBLIC_API,
}

#: URL parameter -> key of the test world (test_access_matrix.build_world). "<blueprint>.<param>" wins over "<param>".
PARAMS = {
    "cohort_id": "cohort_a",
    "session_id": "session_a",
    "user_id": "learner",
    "certificate_id": "certificate",
    "code": "certificate_code",
    "api.professional_id": "learner",
    "api_pages.token_id": "api_token",
    "licence_id": "licence",
    "track_slug": "track_slug",
    "assignment_id": "assignment",
    "slug": "module_slug",
    "scenarios.slug": "scenario_slug",
    "calibration.slug": "scenario_slug",
    "calibration.attempt_id": "calibration_attempt",
    "courseunit.slug": "unit_part",
    "module_slug": "module_slug",
    "lesson_slug": "lesson_slug",
    "filename": "image",
    "attempt_id": "attempt_open",
    "answer_id": "open_answer",
    "run_id": "run",
    "round_id": "round",
    "token": "invitation_token",
    "accounts.token": "reset_token",
    "lti.token": "invitation_token",  # a cohort invitation's token: no LTI registration address
    "login_session_id": "login_session",
    "provider": "sso_provider",
    "platform_id": "lti_platform",
    "job_id": "failed_job",
}

#: Per endpoint, parameters that differ from PARAMS.
ENDPOINT_PARAMS = {
    "quizzes.result": {"attempt_id": "attempt_done"},  # an attempt in progress has no result page for anyone else
    "certification.sign_off": {"user_id": "ready_learner"},  # eligible, so that a refusal means "not allowed"
}

#: Form data for POSTs, per endpoint: {role or "*": data}. Everything else gets an empty form (plus the CSRF token).
POST_DATA = {
    "roleplay.notes": {"*": {"kind": "self_reflection", "text": "Een notitie."},
                       "actor": {"kind": "actor_feedback", "text": "Een notitie."},
                       "actor_unbooked": {"kind": "actor_feedback", "text": "Een notitie."}},
}

#: "table.column" values that any request may write as bookkeeping (a last-seen time...): left out of the
#: "nothing changed" comparison. Keep this empty unless such a column really exists.
VOLATILE_COLUMNS: set[str] = set()

#: Extra checks of the same routes with other objects: (description, endpoint, method, {param: world key}, row).
VARIANTS = [
    ("dashboard of cohort B", "cohorts.dashboard", GET, {"cohort_id": "cohort_b"}, only("trainer_b", "admin")),
    ("session of cohort B", "cohorts.session", GET, {"cohort_id": "cohort_b", "session_id": "session_b"},
     only("learner_b", "trainer_b", "admin")),
    ("attendance of cohort B", "cohorts.session", POST, {"cohort_id": "cohort_b", "session_id": "session_b"},
     only("learner_b", "trainer_b", "admin")),
    ("attendance of cohort B", "cohorts.attendance", GET, {"cohort_id": "cohort_b", "session_id": "session_b"},
     only("trainer_b", "admin")),
    ("attendance saved in cohort B", "cohorts.attendance", POST, {"cohort_id": "cohort_b", "session_id": "session_b"},
     only("trainer_b", "admin")),
    ("projector of cohort B", "cohorts.session_code", GET, {"cohort_id": "cohort_b", "session_id": "session_b"},
     only("trainer_b", "admin")),
    ("session B under cohort A", "cohorts.session", GET, {"session_id": "session_b"},
     roles(dict.fromkeys(ROLES, NOTFOUND), anonymous=LOGIN)),
    ("learner B under cohort A", "cohorts.learner", GET, {"user_id": "learner_b"},
     roles(COHORT_A_STAFF, trainer=NOTFOUND, admin=NOTFOUND)),
    ("co-training of session B under cohort A", "certification.co_training_sign", GET, {"session_id": "session_b"},
     roles(dict.fromkeys(ROLES, NOTFOUND), anonymous=LOGIN, learner=FORBIDDEN, learner_b=FORBIDDEN,
           actor=FORBIDDEN, actor_unbooked=FORBIDDEN)),
    ("A's practice assignment under cohort B", "certification.practice_review", GET, {"cohort_id": "cohort_b"},
     only("trainer_b", "admin", outcome=NOTFOUND)),
    ("debrief after release", "roleplay.debrief", GET, {"round_id": "released_round"},
     only("learner", "trainer", "admin")),
    ("SKJ accreditation of cohort B", "certification.accreditation", GET, {"cohort_id": "cohort_b"},
     only("trainer_b", "admin")),
    ("SKJ accreditation of cohort B set", "certification.accreditation", POST, {"cohort_id": "cohort_b"},
     form_refused(only("trainer_b", "admin"))),
    ("SKJ points list of cohort B", "certification.cohort_skj_export", GET, {"cohort_id": "cohort_b"},
     only("trainer_b", "admin")),
    ("edubadges files of cohort B", "edubadges.export", GET, {"cohort_id": "cohort_b"}, only("trainer_b", "admin")),
    ("edubadges files of cohort B asked", "edubadges.export", POST, {"cohort_id": "cohort_b"},
     form_refused(only("trainer_b", "admin"))),
    ("sign-off in cohort B by its trainer for A's learner", "certification.sign_off", POST,
     {"cohort_id": "cohort_b"}, only()),
]
