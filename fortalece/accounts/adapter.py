from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from fortalece.accounts.mfa import mfa_enrolled, mfa_required


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators, never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict[str, Any] | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """No "signed in" message before the second factor: the code page would show it while
        the user is not signed in yet (the code form says what to do instead)."""
        if message_template == "account/messages/logged_in.txt":
            user = getattr(request, "user", None)
            if user is not None and (mfa_enrolled(user) or mfa_required(user)):
                return
        super().add_message(
            request,
            level,
            message_template=message_template,
            message_context=message_context,
            extra_tags=extra_tags,
            message=message,
        )
