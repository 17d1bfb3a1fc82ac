"""Progress across domains: what the trainer's cohort pages show of their learners (the matrix, the dashboard and
its keeping per process, the certificate column), the progress stamps that tell the dashboard when to count again,
and what a session page shows of live role-play. Above the domains it reads (cohorts, curriculum, quizzes,
role-play, certification), which never import it."""
