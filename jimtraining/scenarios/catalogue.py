"""The catalogue's copies of role-play scenarios (content.catalogue keeps them per process)."""

from __future__ import annotations

from sqlalchemy import select

from jimtraining.content.catalogue import Catalogue, catalogue_loader, row_copy
from jimtraining.extensions import db
from jimtraining.scenarios.models import Scenario
from jimtraining.scenarios.rubric import RubricCutoff, cutoff_of


@row_copy(Scenario)
class ScenarioInfo:
    """A role-play scenario (modules/scenarios/), as scenarios.models.Scenario. `data` is shared: read it only."""

    @property
    def cutoff(self) -> RubricCutoff | None:
        """The rubric's cut-off for "voldoende" (scenarios.rubric.RubricCutoff), None for data from before."""
        return cutoff_of(self.data)


@catalogue_loader(Scenario)
def _load_scenarios(content: Catalogue) -> None:
    content.scenarios = {row["slug"]: ScenarioInfo.from_row(row)
                         for row in db.session.execute(select(Scenario.__table__)).mappings()}
