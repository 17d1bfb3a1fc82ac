"""The content framework: what every kind of course content in modules/ shares (ARCH15 layer 2).

Each domain reads and checks its own files (curriculum: modules and lessons, quizzes: quiz.yml, scenarios,
certification: tracks) with the pieces here, and imports nothing from the other domains' readers:

- ``problems``: ``Problem`` (path:line: message) and the reporters that add them at the line of a YAML path;
- ``yamlmap``: reading a YAML file with the line of every key and list item; ``frontmatter`` does the same for
  the front matter of a Markdown file;
- ``checks``: the checks every reader uses (slugs and ids, unknown keys, required text, lists of text, numbers);
- ``competences``: the JIM competences of modules/competences.yml, which goals and rubrics point at;
- ``sync``: ``sync_by_slug`` (update by slug, archive what is gone, restore what came back) and ``SyncReport``;
- ``models``: ``ContentModel``, the base of every content row (archived, active rows), and the content version;
- ``catalogue``: the per-process, read-only copy of the content, renewed when the content version changes.

This package imports no domain. The whole tree is put together above the domains, in
``jimtraining/content_tree.py``.
"""
