from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fortalece.accounts.models import Role
from fortalece.accounts.scope import get_user_scope
from fortalece.assignments.navigation import menu_items as assignment_menu
from fortalece.impact.policies import study_policy
from fortalece.learning.policies import course_content_policy
from fortalece.people.policies import institution_policy, person_policy
from fortalece.programmes.policies import programme_policy
from fortalece.referrals.policies import service_policy
from fortalece.reporting.policies import coverage_policy
from fortalece.training.policies import workshop_policy


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The main menu, built from the user's roles (items they cannot use are not shown)."""
    user = getattr(request, "user", None)
    scope = get_user_scope(user)
    if scope.user_id is None or getattr(request, "mfa_pending", False):
        return {"nav_items": []}

    items: list[tuple[str, Any, str]] = [("home", _("Home"), reverse("core:home"))]
    if programme_policy.user_has_permission(user, "view"):
        items.append(("programmes", _("Programmes"), reverse("programmes:list")))
    if programme_policy.user_has_permission(user, "view_dashboard"):
        items.append(("reporting", _("Indicators"), reverse("reporting:indicators")))
        items.append(("saved_reports", _("Saved reports"), reverse("reporting:saved_list")))

    if coverage_policy.user_has_permission(user, "view"):
        items.append(("coverage", _("Coverage"), reverse("reporting:coverage")))
    if workshop_policy.user_has_permission(user, "view"):
        items.append(("workshops", _("Workshops"), reverse("training:workshop_list")))
    if person_policy.user_has_permission(user, "view"):
        items.append(("people", _("People"), reverse("people:person_list")))
    if institution_policy.user_has_permission(user, "view"):
        items.append(("institutions", _("Institutions"), reverse("people:institution_list")))

    if study_policy.user_has_permission(user, "view"):
        items.append(("impact", _("Evaluation"), reverse("impact:study_list")))
    if person_policy.user_has_permission(user, "import"):
        items.append(("imports", _("Imports"), reverse("imports:list")))

    if course_content_policy.user_has_permission(user, "view"):
        items.append(("learning", _("Online courses"), reverse("learning:home")))
    if service_policy.user_has_permission(user, "view"):
        items.append(("referrals", _("Referrals"), reverse("referrals:search")))

    items += assignment_menu(user)
    if scope.person_id and scope.has_role(Role.LEARNER, Role.TRAINER):
        items.append(("my_training", _("My training"), reverse("training:my_training")))
    if scope.person_id and scope.has_role(Role.LEARNER):
        items.append(("learning_mine", _("My learning"), reverse("learning:my_learning")))
    if scope.person_id and scope.has_role(Role.LEARNER, Role.TRAINER):
        items.append(("messaging", _("Messages"), reverse("messaging:inbox")))
    if scope.is_admin:
        items.append(("geography", _("Geography"), reverse("geography:country_list")))
        items.append(("users", _("Users"), reverse("accounts:user_list")))
    section = _current_section(request, items)
    menu, account = arrange_menu(items, section)
    return {
        "nav_items": items,
        "nav_menu": menu,
        "nav_account": account,
        "nav_section": section,
        "device_user": device_user_marker(user),
    }


# Entries a manager opens less often share one disclosure menu in the header, so that the
# bar stays one row on a desktop. A group only forms when the role has two or more of its
# entries; a lone one stays a plain link. The group sits where its first entry would be.
MENU_GROUPS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("group_reports", _("Reports"), ("reporting", "saved_reports", "coverage")),
    ("group_registry", _("Registry"), ("people", "institutions", "imports")),
    ("group_courses", _("Courses"), ("learning", "assignments")),
)
# The platform's own settings sit in the account menu, under "Administration".
ACCOUNT_MENU_KEYS = ("users", "geography")


@dataclass
class MenuEntry:
    """One link of the header, or (with ``entries``) a disclosure menu of links."""

    key: str
    label: Any
    url: str = ""
    current: bool = False
    entries: list["MenuEntry"] = field(default_factory=list)


def arrange_menu(
    items: list[tuple[str, Any, str]], section: str
) -> tuple[list[MenuEntry], list[MenuEntry]]:
    """The flat menu arranged for the header: the bar's entries (some gathered under
    ``MENU_GROUPS``) and the account menu's; together exactly the flat menu's entries, each
    once. ``current`` marks this page's entry and the group it is in."""
    present = {key for key, _label, _url in items}
    group_of: dict[str, tuple[str, Any]] = {}
    for group_key, group_label, keys in MENU_GROUPS:
        if len(present.intersection(keys)) >= 2:
            group_of.update(dict.fromkeys(keys, (group_key, group_label)))
    menu: list[MenuEntry] = []
    account: list[MenuEntry] = []
    groups: dict[str, MenuEntry] = {}
    for key, label, url in items:
        entry = MenuEntry(key, label, url, key == section or (key == "home" and section == "core"))
        if key in ACCOUNT_MENU_KEYS:
            account.append(entry)
        elif key in group_of:
            group_key, group_label = group_of[key]
            if group_key not in groups:
                groups[group_key] = MenuEntry(group_key, group_label)
                menu.append(groups[group_key])
            groups[group_key].entries.append(entry)
            groups[group_key].current = groups[group_key].current or entry.current
        else:
            menu.append(entry)
    return menu, account


def device_user_marker(user: Any) -> str:
    """An opaque mark of who is signed in, for the phone's offline copies and outbox: a
    different person signing in on the same phone finds none of the previous one's pages or
    answers (no id, no name: a keyed hash)."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("fortalece.device_user", str(user.pk)).hexdigest()[:20]


def _current_section(request: HttpRequest, items: list[tuple[str, Any, str]]) -> str:
    """The menu entry whose address is the longest start of this page's (Saved reports on
    /reports/saved/…, not Indicators); else the app's namespace, as before."""
    path = request.path
    best, length = "", 0
    for key, _label, url in items:
        if (path == url or (url != "/" and path.startswith(url))) and len(url) > length:
            best, length = key, len(url)
    if best:
        return best
    match = getattr(request, "resolver_match", None)
    return match.namespace if match is not None else ""
