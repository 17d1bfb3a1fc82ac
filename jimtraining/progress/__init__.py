"""Progress across domains: what the trainer's cohort pages show of their learners (the matrix, the dashboard and
its keeping per process, the certificate column), the progress stamps that tell the dashboard when to count again,
what a session page shows of live role-play, and the start page of every role (workspace.py for trainers and
lecturers, homes.py for trainee-actors, admins and learners, waiting.py for the work that waits for a trainer).
Above the domains it reads (cohorts, curriculum, quizzes, role-play, certification), which never import it."""
