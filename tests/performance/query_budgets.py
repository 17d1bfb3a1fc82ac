"""The most SQL statements each page may run: checked by tests/performance/test_query_budgets.py.

BUDGETS maps an endpoint (as in tests/security/access_table.py) to its maximum number of SQL statements per
request, for every role that may open it, in the small access-matrix world and in the grown one (the two counts
must also be equal: a count that grows with the data is an N+1). It covers every GET of the access table that
some role may open, and the POSTs in HOT_POSTS.

The numbers are what the pages cost when the budgets were set (the most over all roles and both sizes, on SQLite
and PostgreSQL), so any new query is a decision: make the change, see this test fail, and raise the budget in the
same change with a word on why. Logging in is not counted; the login-session lookup every logged-in request does
is (1 statement).
"""

#: POSTs that are hot under load (a whole cohort at once in a session), measured with real form data.
HOT_POSTS = ("quizzes.start", "quizzes.submit", "roleplay.scores", "curriculum.mark_done")

BUDGETS: dict[str, int] = {
    # --- main ---------------------------------------------------------------------------------------------------
    # The start page is a workspace per role (issue 16 item 1; the most of the roles counts):
    # - learner (7): the content token, the lessons done (with the last one), the quizzes passed; the learner's
    #   cohorts, their trainers and next sessions; their certificates. The curriculum itself comes from the
    #   process's catalogue (curriculum/catalogue.py).
    # - trainer or lecturer (11): the active groups with their sessions (1); the learners with their progress
    #   tokens and the content token, which say whether the process kept each group's overview (2); for the groups
    #   it did not keep, their progress and checklists in one batch as on the cohort dashboard (lessons, quizzes,
    #   attendance, certificates, rounds, practice); all waiting work in one query (open answers, practice
    #   versions, rounds to release, actor bookings; progress/waiting.py). Whatever the number of groups or
    #   learners; 5 when every group's overview was kept.
    # - admin (13): the national figures (kept a minute per process; counted here uncached), the licences ending
    #   within 60 days, the five newest audit events, the background jobs that need an admin (13).
    # - trainee-actor: the bookings with session, group and organisation, the rounds they play, their aftercare.
    "main.index": 13,
    "main.healthz": 2,  # SELECT 1, and the jobs per state (the queue's storage is asked too, outside the database)
    "metrics": 1,  # counters kept in the process; the jobs per state for the queue gauges

    # --- accounts -----------------------------------------------------------------------------------------------
    "accounts.login": 1,
    "accounts.profile": 2,
    "accounts.change_password": 1,
    "accounts.sessions": 2,  # the person's sessions that still work
    "admin.users": 3,  # a page of 50 (with the organisation joined) and the count of all that match
    "admin.user_new": 2,
    "admin.user_edit": 3,
    "accounts.forgot_password": 1,
    "accounts.reset_password": 2,

    # --- privacy ------------------------------------------------------------------------------------------------
    # One or two queries per kind of personal data in jimtraining/privacy/registry.py: grows with the schema,
    # never with the rows.
    "privacy.export_json": 36,  # +1 checkin_attempt (issue 14 item 9); +1 sso_link; +2 lti_user_link, lti_grade;
    # +1 observed_co_training, +1 calibration_attempt (issue 17)
    # One COUNT per link of the registry (the erasure preview); +1 checkin_attempt; +1 sso_link; +2 LTI; +2 the
    # candidate and the signer of an observed co-training, +1 calibration_attempt (issue 17).
    "admin.erase_confirm": 35,

    # --- curriculum ---------------------------------------------------------------------------------------------
    "curriculum.overview": 4,
    "curriculum.module": 5,
    "curriculum.lesson": 4,
    "curriculum.module_file": 4,
    # The course unit is read from its files; the modules, quizzes and tracks it counts come from the catalogue.
    "courseunit.overview": 2,
    "courseunit.part": 2,
    # set_lesson_done writes the row and the learner's progress token (progress/stamps.py), then commits.
    "curriculum.mark_done": 12,

    # --- quizzes ------------------------------------------------------------------------------------------------
    "quizzes.quiz": 5,
    "quizzes.start": 12,
    # The attempt, the content token, then the claim, the stored answers, one INSERT of the new answers, closing the
    # attempt and the learner's progress token (progress/stamps.py).
    "quizzes.submit": 8,
    "quizzes.attempt": 4,
    "quizzes.result": 7,
    "quizzes.overview": 7,
    # The login session, the user, the content token (the catalogue), the questions per goal in one GROUP BY.
    "coverage.overview": 4,
    "quizzes.results": 5,
    "quizzes.results_csv": 5,
    "quizzes.statistics": 6,
    "quizzes.review_queue": 4,  # +1: the content token, for the module titles (never their slugs)
    "quizzes.review": 7,

    # --- scenarios (practice) -----------------------------------------------------------------------------------
    "scenarios.index": 2,
    "scenarios.show": 3,
    "scenarios.play": 4,
    "scenarios.result": 2,
    "scenarios.choices": 4,

    # --- calibration ----------------------------------------------------------------------------------------------
    # The reference rounds come from the content catalogue (its token: 1 query); then the person's calibrations.
    "calibration.index": 3,
    "calibration.score": 3,  # ... whether they scored this round in the last year
    "calibration.result": 3,  # the calibration (its expert levels are copied in), the token
    "admin.calibration": 3,  # every calibration with its person in one query, the token

    # --- live role-play -----------------------------------------------------------------------------------------
    # The round without its people (roleplay.services._ROUND), the professional's and the player's names, the part;
    # +1 the round's session, for the way back to it (issue 16).
    "roleplay.round": 9,
    # The round (with its observers), the person's part in it (one query), the content token (the scenario comes
    # from the catalogue), the rater's scores and their INSERTs or UPDATEs.
    "roleplay.scores": 8,
    "roleplay.debrief": 8,  # +1 for the trainer: the round's session, for the way back to it (issue 16)
    # The profile, the scenarios to tick; the bookings with session, group and organisation, the rounds played in
    # them and the aftercare written (progress/homes.py, shared with the start page; issue 16 item 1).
    "roleplay.actor_home": 7,

    # --- cohorts ------------------------------------------------------------------------------------------------
    "cohorts.index": 3,
    "cohorts.new": 5,
    "cohorts.edit": 7,
    # The cohort with its trainers and sessions, the learners with their progress tokens, the content token; when
    # something changed also the aggregates of groups_progress and the certification facts (certification/
    # presenters.py, cohort_overview). This is the count when nothing is kept yet.
    "cohorts.dashboard": 12,
    "cohorts.export": 7,
    "cohorts.learner": 16,  # the matrix row, attendance, eligibility, and the licence check for the sign-off button
    "cohorts.invite": 3,
    "cohorts.upload": 3,
    "cohorts.session_new": 3,
    "cohorts.session_edit": 4,
    # +1 for trainers: the wrong check-in codes per learner (one GROUP BY; issue 14 item 9). A learner for whom
    # check-in is open counts their own wrong codes instead (one COUNT), within the same budget.
    "cohorts.session": 13,  # +1: the content token, for the rounds' scenario titles (never their slugs)
    # The projector: login session, cohort, session, trainers, enrolments (with users) and the marks for "n van m
    # aanwezig" (was 4 before it showed the count).
    "cohorts.session_code": 6,
    # The room's attendance page: login session, the session with its cohort, trainers, the learners with their marks
    # and wrong codes (one query: cohorts.attendance.roster).
    "cohorts.attendance": 4,
    "cohorts.session_ics": 4,
    "cohorts.cohort_ics": 4,
    "cohorts.join": 1,
    "cohorts.accept": 4,
    "admin.organisations": 2,
    # Common Cartridge downloads: the modules with their lessons, the quizzes with their questions (selectin).
    "cartridge.common_cartridge": 6,
    "cartridge.thin_cartridge": 6,
    "admin.outbox": 1,
    "admin.jobs_page": 3,  # the jobs that need an admin, the counts per state, the login session

    # --- certification ------------------------------------------------------------------------------------------
    "certification.mine": 14,  # the checklists of all the learner's cohorts in one batch (cohorts_eligibility)
    "certification.skj_export": 3,
    "certification.practice": 9,
    "certification.certificate_pdf": 5,  # + the kept PDF (drawn by a background job, never in the request)
    "certification.practice_queue": 6,
    # The preview before signing off: the same checks as signing (licence, membership, the learner's checklist).
    "certification.sign_off": 15,
    "certification.practice_review": 7,
    # The cohort and the trainer check, the session, the co-trainings signed for it (candidate and signer joined).
    "certification.co_training_sign": 6,
    "certification.verify": 2,
    "certification.verify_json": 1,
    "certification.public_progress": 10,
    # Issue 19 item 3: the cohort (with its trainers), its own accreditation, and the points list: the cohort's
    # progress and checklists in one batch as on the dashboard (lessons, quizzes, attendance, certificates, rounds,
    # practice), the listed learners' names and SKJ numbers, the sessions for the run's dates.
    "certification.accreditation": 14,
    "certification.cohort_skj_export": 14,
    # Issue 19 item 2: the class's checklists (as above), the completers' accounts and institution logins (EPPN),
    # the course unit's track with its module titles (criteria), the content token for the study load.
    "edubadges.export": 16,  # the national figures: one aggregate each (certification/stats.py)
    "admin.licences": 4,
    "admin.certificates": 3,
    "admin.certificate": 4,
    "admin.audit_log": 3,  # a page of 50 and the count
    "admin.audit_export": 2,
    "admin.national": 10,
    "admin.national_export": 10,

    # --- credentials (Open Badges 3.0) --------------------------------------------------------------------------
    # The certificate with its credential, signed when the certificate was written (credentials/issuing.py).
    "credentials.credential_json": 1,
    "credentials.download_json": 1,
    "credentials.download_svg": 1,
    "credentials.download_png": 1,
    "credentials.achievement": 2,  # the track (and those that renew it), the titles of its modules
    "credentials.achievement_svg": 1,
    "credentials.achievement_png": 1,
    "credentials.issuer": 1,  # every key ever used
    "credentials.status_list": 2,  # the revoked bits and the signing key; signed again only when they change

    # --- lti ----------------------------------------------------------------------------------------------------
    "lti.login": 1,  # the cookie check page: only the login-session lookup of whoever is logged in
    "lti.jwks": 1,  # the current and the previous key
    "lti.admin": 4,  # the platforms, the outbox counts, the published keys

    # --- api (the public REST API v1) -----------------------------------------------------------------------------
    # The OpenAPI document is built once per app; its documentation page is made from it (the login-session lookup
    # of whoever is logged in is all the database sees). The token page: every token with its organisation, the
    # organisations for the form.
    "api_pages.openapi_json": 1,
    "api_pages.docs": 1,
    "api_pages.tokens_page": 3,
}

#: The API's endpoints with a token (tests/api/test_query_budgets.py, small and grown world alike): the token with
#: its organisation (1), what the endpoint reads, and the bookkeeping of the token's use when it is due (at most
#: once a minute: the UPDATE of last_used_at, and once a day the audit event: 2). Counted with the bookkeeping due.
API_BUDGETS: dict[str, int] = {
    # The count and the page of professionals, their certificates in one query.
    "api.professionals": 6,
    # The professional, their certificates, their groups with sessions and trainers, the tracks, and the checklist
    # of certification/eligibility.py in the queries of one group (the same as on the learner's own page).
    "api.professional": 17,
    # The count and the page of groups with their trainers (selectin), the member counts in one GROUP BY.
    "api.cohorts": 7,
    "api.cohort": 7,  # the group, its trainers and its sessions (selectin), its member count
    "api.national": 12,  # the national figures: one aggregate each (certification/stats.py), uncached here
    "api.organisation": 3,  # the token with its organisation is all it reads
}

#: Endpoints left out of the budgets because their query count legitimately depends on the input (e.g. a
#: download that streams in chunks): endpoint -> why. Keep it empty if you can.
EXEMPT: dict[str, str] = {}

#: The SURFconext/eduID pages (jimtraining/sso), measured by tests/sso/test_query_counts.py with a provider
#: configured: the access-matrix world has none, so there they answer 404 and have no budget above.
SSO_BUDGETS: dict[str, int] = {
    # The link (with its user), last-login times, the new login session (start_session: 3 statements), and the
    # account loaded again after each of the two commits.
    "sso.callback with a linked account": 8,
    # No link, no link with the eduPersonPrincipalName, the address free: the account and link are made.
    "sso.callback making an account": 12,
    # The learner's profile page with its linked institution accounts (one statement more than accounts.profile).
    "accounts.profile with providers configured": 3,
}

#: Endpoints whose count is known to grow with the data, with where that comes from; reported as an expected
#: failure instead of a failure, until it is fixed (then the test asks to remove the entry).
KNOWN_GROWTH: dict[str, str] = {}
