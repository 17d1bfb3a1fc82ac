"""A cohort and its certification track: the modules the track counts, the ones a cohort's own list of modules
lacks, and the sentence that says so. A cohort's progress table must show every module its track counts, or the
trainer sees "4 modules" while the certificate column says "nog 12 onderdelen".

A track here is anything with `requirements` (and `title`): the Track row, the catalogue's TrackInfo, or a track
file as `flask content check` reads it.
"""

from __future__ import annotations

from flask_babel import ngettext
from sqlalchemy import select

from jimtraining.cohorts.models import Cohort
from jimtraining.content.catalogue import catalogue
from jimtraining.extensions import db


def counted_modules(tracks) -> list[str]:
    """Slugs of the modules whose lessons or quiz the tracks require, each once."""
    return list(dict.fromkeys(slug for track in tracks for key in ("modules", "quizzes")
                              for slug in ((track.requirements or {}).get(key) or [])))


def missing_modules(module_slugs, track) -> list[str]:
    """The modules `track` requires (lessons or quiz) that are not among a cohort's `module_slugs`, in the track's
    order. Showing more modules than the track needs is fine."""
    shown = set(module_slugs or ())
    return [slug for slug in counted_modules([track]) if slug not in shown]


def cohorts_lacking_track_modules(tracks: dict) -> list[tuple[Cohort, object, list[str]]]:
    """Cohorts (not archived) whose modules do not include every module their track requires, each with its track
    and the missing slugs. `tracks`: slug -> track; cohorts of a track not in it are left alone."""
    cohorts = db.session.scalars(select(Cohort).where(Cohort.track_slug.is_not(None), Cohort.status != "archived")
                                 .order_by(Cohort.id))
    return [(cohort, tracks[cohort.track_slug], missing) for cohort in cohorts if cohort.track_slug in tracks
            and (missing := missing_modules(cohort.module_slugs, tracks[cohort.track_slug]))]


def missing_modules_text(track_title: str, titles: list[str]) -> str:
    """The sentence that says which modules a cohort lacks for its track (each caller adds what to do)."""
    names = ", ".join(f"'{title}'" for title in titles)
    return ngettext("Het certificeringstraject '%(track)s' vraagt ook de module %(modules)s, maar die staat niet "
                    "bij de modules van de groep.",
                    "Het certificeringstraject '%(track)s' vraagt ook de modules %(modules)s, maar die staan niet "
                    "bij de modules van de groep.", len(titles), track=track_title, modules=names)


def module_titles(slugs) -> list[str]:
    """The titles of these modules (their slug when the curriculum does not have one)."""
    content = catalogue()
    return [module.title if (module := content.module(slug)) is not None else slug for slug in slugs]
