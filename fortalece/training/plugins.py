"""What training adds to the apps below it, registered in ``TrainingConfig.ready``: its part of
the people rules and the reach refresh after a person's edit (people/hooks.py)."""

from __future__ import annotations

from fortalece.people import hooks as people_hooks
from fortalece.training.policies import programme_people_q, trainer_people_q
from fortalece.training.services.reach import reach_refresh_people


def register() -> None:
    people_hooks.register_people_changed(reach_refresh_people)
    people_hooks.register_programme_people(programme_people_q)
    people_hooks.register_trainer_people(trainer_people_q)
