"""A small scenario whose paths are checked by hand.

    begin --(0: praten, regie+1)--> gesprek --(0: JIM vragen, regie+1)--> check --redirect regie>=2--> einde-goed
          \\                              \\--(1: zelf regelen, regie-2)--> check --> einde-leerzaam
           \\--(1: ingrijpen, veiligheid+1, regie-1)--> crisis --(0: toch praten)--> gesprek
                                    \\--(1: blijven ingrijpen; if veiligheid >= 1)--> einde-leerzaam
"""

import pytest

from tests.support.content import sync

SCENARIO_YML = """\
title: "Testscenario"
summary: "Kort."
work_context: jeugdhulp
situation: "Een **fictieve** situatie."
learning_goals: [basis]
roles:
  - id: jongere
    name: "Sanne (14)"
    kind: young_person
    played_by: actor
    trainee_brief: "TRAINEE-BRIEF-JONGERE"
    actor_brief:
      who: "GEHEIM-WIE"
      feels_and_wants: "GEHEIM-VOELT"
      hides: "GEHEIM-VERBERGT"
      opens_up_when: "GEHEIM-OPEN"
      closes_down_when: "GEHEIM-DICHT"
      will_not_play: "GEHEIM-GRENS"
  - id: professional
    name: "De JIMwerker"
    kind: professional
    played_by: learner
    trainee_brief: "TRAINEE-BRIEF-PRO"
rubric:
  - id: regie
    criterion: "Regie bij de jongere"
    competence: jongere-in-de-regie
    levels: ["neemt over", "vraagt soms", "vraagt vaak", "laat regie steeds bij de jongere"]
  - id: samen
    criterion: "Gelijkwaardig met de JIM"
    competence: gelijkwaardig-samenwerken
    levels: ["l1", "l2", "l3", "l4"]
rubric_cutoff:
  min_level: 2
  min_total: 5
reference_round:
  title: "Een ronde om te oefenen"
  transcript: |
    **JIMwerker:** TRANSCRIPT-BEGIN
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
    woord woord woord woord woord woord woord woord woord woord woord woord woord woord woord
  scores:
    regie: {level: 3, reason: "REDEN-REGIE"}
    samen: {level: 2, reason: "REDEN-SAMEN"}
debrief:
  reactions: ["Hoe voelde het?"]
  description: ["Wat gebeurde er?"]
  analysis: ["Waarom?"]
  summary: ["Wat neem je mee?"]
practice:
  allow_back: true
  variables:
    - id: regie
      label: "Regie"
    - id: veiligheid
      label: "Veiligheid"
  start: begin
  nodes:
    - id: begin
      text: "Sanne is boos."
      choices:
        - text: "Praten"
          to: gesprek
          feedback: "FB-PRATEN"
          effects: {regie: 1}
        - text: "Ingrijpen"
          to: crisis
          feedback: "FB-INGRIJPEN"
          effects: {veiligheid: 1, regie: -1}
    - id: crisis
      text: "Het wordt spannend."
      choices:
        - text: "Toch praten"
          to: gesprek
          feedback: "FB-TOCH"
        - text: "Blijven ingrijpen"
          to: einde-leerzaam
          feedback: "FB-BLIJVEN"
          if: "veiligheid >= 1"
    - id: gesprek
      text: "Sanne vertelt over oma."
      choices:
        - text: "Vraag wie zij als JIM wil"
          to: check
          feedback: "FB-VRAAG"
          effects: {regie: 1}
        - text: "Regel zelf een JIM"
          to: check
          feedback: "FB-ZELF"
          effects: {regie: -2}
    - id: check
      redirect:
        - if: "regie >= 2"
          to: einde-goed
        - to: einde-leerzaam
    - id: einde-goed
      ending: true
      best: true
      title: "Sanne kiest zelf"
      text: "Oma wordt de JIM."
      jimwerker: "JIMWERKER-GOED"
    - id: einde-leerzaam
      ending: true
      title: "De hulpverlener nam het over"
      text: "Sanne trekt zich terug."
      jimwerker: "JIMWERKER-LEERZAAM"
"""

COMPETENCES_YML = """\
competences:
  - id: jongere-in-de-regie
    name: "De jongere in de regie"
    description: "Uitleg."
  - id: gelijkwaardig-samenwerken
    name: "Gelijkwaardig samenwerken met de JIM"
    description: "Uitleg."
"""


@pytest.fixture
def scenario_content(synced_content):
    """The test curriculum plus two competences and the test scenario, synced."""
    synced_content.competences(COMPETENCES_YML, "jongere-in-de-regie")
    synced_content.raw("scenarios/testscenario.yml", SCENARIO_YML)
    sync(synced_content)
    return synced_content
