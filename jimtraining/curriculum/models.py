"""The curriculum, loaded from modules/ by `flask content sync`.

Modules and lessons are identified by their slugs. Progress points at slugs, never at row ids, so a re-import
or an edit of the text never loses what a learner did. Content that disappears from the files is archived.
"""

from jimtraining.content.models import ContentModel, slug_column, synced_at_column
from jimtraining.extensions import db
from jimtraining.timeutil import utcnow


class Module(ContentModel, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    #: Stable identity: the folder name without its NN- prefix.
    slug = slug_column()
    #: Order in the curriculum (the NN of the folder).
    position = db.Column(db.Integer, nullable=False)
    #: Folder name inside modules/, e.g. "01-wat-is-jim".
    folder = db.Column(db.String(120), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    summary = db.Column(db.Text, nullable=False, default="")
    #: Estimated minutes to complete.
    minutes = db.Column(db.Integer, nullable=False, default=0)
    #: Slugs of modules that must be completed first.
    prerequisites = db.Column(db.JSON, nullable=False, default=list)
    #: Learning goals, each a sentence.
    goals = db.Column(db.JSON, nullable=False, default=list)
    #: Per goal (same order as `goals`): {"competence": id from competences.yml or None, "lessons": [lesson slugs
    #: that teach it]}. None for rows from before the next sync (migration 0019).
    goal_links = db.Column(db.JSON, nullable=True, default=list)
    #: Sources as dicts with title, publisher, date.
    sources = db.Column(db.JSON, nullable=False, default=list)
    #: Introduction in Markdown.
    body = db.Column(db.Text, nullable=False, default="")
    synced_at = synced_at_column()

    lessons = db.relationship(
        "Lesson", back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    @property
    def active_lessons(self):
        return [lesson for lesson in self.lessons if not lesson.archived]


class Lesson(ContentModel, db.Model):
    __table_args__ = (db.UniqueConstraint("module_id", "slug", name="uq_lesson_module_slug"),)

    id = db.Column(db.Integer, primary_key=True)
    module_id = db.Column(db.Integer, db.ForeignKey("module.id"), nullable=False, index=True)
    #: Stable identity within the module: the file name without NN- and .md.
    slug = slug_column(unique=False)
    position = db.Column(db.Integer, nullable=False)
    #: File name inside the module folder, e.g. "01-de-jongere-kiest.md".
    filename = db.Column(db.String(160), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    minutes = db.Column(db.Integer, nullable=False, default=0)
    #: Lesson text in Markdown; rendered through jimtraining.rendering only.
    body = db.Column(db.Text, nullable=False, default="")
    synced_at = synced_at_column()

    module = db.relationship("Module", back_populates="lessons")

    @property
    def source_path(self) -> str:
        return f"{self.module.folder}/{self.filename}"


class LessonProgress(db.Model):
    """What one learner did with one lesson; survives edits, re-imports and archiving."""

    __table_args__ = (
        db.UniqueConstraint("user_id", "module_slug", "lesson_slug", name="uq_lesson_progress_user_lesson"),
        # Covers the progress counts of the dashboards: they read no table rows (migration 0011).
        db.Index("ix_lesson_progress_user_done", "user_id", "module_slug", "lesson_slug", "completed_at"),
    )

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True)
    module_slug = db.Column(db.String(100), nullable=False)
    lesson_slug = db.Column(db.String(100), nullable=False)
    #: When this row was first written (the first time the learner marked the lesson as done).
    started_at = db.Column(db.DateTime(timezone=True), nullable=False, default=utcnow)
    #: Set when the learner marks the lesson as done; cleared when they undo it.
    completed_at = db.Column(db.DateTime(timezone=True), nullable=True)

