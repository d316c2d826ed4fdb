"""What credentials adds to the pages of the apps below it (core/pages.py), registered in
``CredentialsConfig.ready``: who may follow a workshop page's link to its certificates."""

from __future__ import annotations

from typing import Any

from fortalece.core import pages
from fortalece.credentials.policies import certificate_policy


def may_issue(user: Any, workshop: Any) -> bool:
    return certificate_policy.user_has_permission(user, "issue")


def register() -> None:
    pages.register_link("credentials:workshop", may_issue)
