"""The coverage page for authors and lecturers: each JIM competence with the module goals that build it, the quiz
questions that test those goals and the rubric criteria that score it; gaps highlighted. It reads several domains
(through their services and the content catalogue) and writes nothing."""
