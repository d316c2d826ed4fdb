from typing import Any

from fortalece.accounts.scope import get_user_scope
from fortalece.programmes.policies import programme_policy
from fortalece.training.policies import workshop_policy


def home_summary(*, user: Any) -> dict[str, Any]:
    """What the home page shows: the user's programmes and upcoming workshops, counted in SQL."""
    from django.utils import timezone

    scope = get_user_scope(user)
    today = timezone.localdate()
    programmes = programme_policy.instances_user_has_permission_for(user, "view")
    workshops = workshop_policy.instances_user_has_permission_for(user, "view")
    return {
        "programmes": programmes.order_by("-start_date")[:6],
        "programme_count": programmes.count(),
        "upcoming_workshops": workshops.filter(end_date__gte=today).order_by("start_date")[:5],
        "can_add_programme": programme_policy.user_has_permission(user, "add"),
        "is_learner_only": not scope.is_admin and scope.roles <= {"learner"},
    }


def lands_on_my_learning(*, user: Any) -> bool:
    """A learner (and nothing else) starts on My learning, the installed app's start page."""
    scope = get_user_scope(user)
    return bool(scope.person_id) and not scope.is_admin and scope.roles <= {"learner"}
