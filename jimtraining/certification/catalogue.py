"""The catalogue's copies of certification tracks (content.catalogue keeps them per process)."""

from __future__ import annotations

from sqlalchemy import select

from jimtraining.certification.models import Track, TrackRules
from jimtraining.content.catalogue import Catalogue, catalogue_loader, row_copy
from jimtraining.extensions import db


@row_copy(Track, requirements=lambda value: value or {})
class TrackInfo(TrackRules):
    """A certification track (modules/tracks/), as certification.models.Track."""


@catalogue_loader(Track)
def _load_tracks(content: Catalogue) -> None:
    content.tracks = {row["slug"]: TrackInfo.from_row(row) for row in db.session.execute(
        select(Track.__table__).order_by(Track.position, Track.id)).mappings()}
