"""What training adds to the apps below it, registered in ``TrainingConfig.ready``: its part of
the people rules and the reach refresh after a person's edit (people/hooks.py), the programme
page's target values and counts (programmes/hooks.py), and who may follow the programme page's
links to workshops and courses (core/pages.py)."""

from __future__ import annotations

from typing import Any

from fortalece.core import pages
from fortalece.people import hooks as people_hooks
from fortalece.programmes import hooks as programme_hooks
from fortalece.training.policies import (
    course_policy,
    programme_people_q,
    trainer_people_q,
    workshop_policy,
)
from fortalece.training.selectors import programme_reached, programme_target_current
from fortalece.training.services.reach import reach_refresh_people


def may_list_workshops(user: Any, obj: Any) -> bool:
    return workshop_policy.user_has_permission(user, "view")


def may_list_courses(user: Any, obj: Any) -> bool:
    return course_policy.user_has_permission(user, "view")


def register() -> None:
    people_hooks.register_people_changed(reach_refresh_people)
    people_hooks.register_programme_people(programme_people_q)
    people_hooks.register_trainer_people(trainer_people_q)
    programme_hooks.register_target_measure(programme_target_current)
    programme_hooks.register_counts(programme_reached)
    pages.register_link("training:workshop_list", may_list_workshops)
    pages.register_link("training:course_list", may_list_courses)
