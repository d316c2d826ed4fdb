"""Setting up and using the second factor (see ``accounts/mfa.py``)."""

from __future__ import annotations

import json
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from fortalece.accounts import mfa, otp, passkeys
from fortalece.accounts.mfa import SensitiveActionMixin
from fortalece.accounts.models import Passkey, RecoveryCode, TOTPDevice, User
from fortalece.accounts.policies import user_policy
from fortalece.core.audit import audit
from fortalece.core.models import AuditEvent
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _locked_message() -> str:
    return _("Too many wrong codes. Wait 15 minutes and try again.")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class MFASetupView(LoginRequiredMixin, View):
    """Scan a QR code (or type the key), then confirm with the first code."""

    def _context(self, request: HttpRequest, form: CodeForm) -> dict:
        secret = request.session.get(mfa.SETUP_KEY)
        if not secret:
            secret = request.session[mfa.SETUP_KEY] = otp.new_secret()
        url = otp.otpauth_url(secret, account=_user(request).email, issuer="Fortalece")
        qr = segno.make(url, error="m").svg_inline(scale=4, title=_("QR code to scan"))
        return {
            "form": form,
            # segno draws the SVG from our own otpauth URL: nothing typed by a user.
            "qr_svg": mark_safe(qr),  # noqa: S308
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "enrolled": mfa.mfa_enrolled(request.user),
            "required": mfa.mfa_required(request.user),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/mfa_setup.html", self._context(request, CodeForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        # Replacing an existing authenticator app is sensitive: it needs this session's code.
        if mfa.mfa_enrolled(request.user) and not mfa.recently_verified(request):
            return mfa.verify_redirect(request, request.path)
        codes = call_service(
            form,
            lambda data: mfa.mfa_enrol(
                user=_user(request),
                secret=request.session.get(mfa.SETUP_KEY, ""),
                code=data["code"],
            ),
            field="code",
        )
        if codes is not None:
            request.session.pop(mfa.SETUP_KEY, None)
            mfa.mark_verified(request)
            request.session[mfa.NEW_RECOVERY_CODES] = codes
            audit(AuditEvent.Kind.MFA_ENROLLED, request=request)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("mfa:recovery_codes")
        return render(request, "accounts/mfa_setup.html", self._context(request, form))


class MFAVerifyView(LoginRequiredMixin, View):
    """The code asked after the password, and again before sensitive actions."""

    def _render(self, request: HttpRequest, form: CodeForm) -> HttpResponse:
        return render(
            request,
            "accounts/mfa_verify.html",
            {
                "form": form,
                "next": mfa.safe_next(request, request.GET.get("next")),
                "has_passkey": Passkey.objects.filter(user=_user(request)).exists(),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if not mfa.mfa_enrolled(request.user):
            return redirect("mfa:setup")
        return self._render(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            user = _user(request)
            if mfa.mfa_locked(user):
                form.add_error("code", _locked_message())
            else:
                method = mfa.mfa_verify(user=user, code=form.cleaned_data["code"])
                if method is not None:
                    mfa.mark_verified(request)
                    audit(AuditEvent.Kind.MFA_VERIFIED, request=request, method=method)
                    if method == "recovery_code":
                        messages.warning(
                            request,
                            _("You used a recovery code. Each one works once only."),
                        )
                    return redirect(mfa.safe_next(request, request.GET.get("next")))
                audit(AuditEvent.Kind.MFA_FAILED, request=request)
                form.add_error("code", _("That code is wrong, expired or already used."))
        return self._render(request, form)


class MFARecoveryCodesView(LoginRequiredMixin, View):
    """New codes are shown once; generating new ones voids the old."""

    def _render(self, request: HttpRequest, codes: list[str] | None) -> HttpResponse:
        unused = RecoveryCode.objects.filter(user=_user(request), used_at__isnull=True).count()
        return render(
            request,
            "accounts/mfa_recovery_codes.html",
            {"codes": codes, "unused": unused, "enrolled": mfa.mfa_enrolled(request.user)},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, request.session.pop(mfa.NEW_RECOVERY_CODES, None))

    def post(self, request: HttpRequest) -> HttpResponse:
        if not mfa.mfa_enrolled(request.user):
            return redirect("mfa:setup")
        if not mfa.recently_verified(request):
            return mfa.verify_redirect(request, request.path)
        codes = mfa.recovery_codes_regenerate(user=_user(request))
        audit(AuditEvent.Kind.MFA_ENROLLED, request=request, recovery_codes=len(codes))
        return self._render(request, codes)


class MFAResetView(PolicyRequiredMixin, SensitiveActionMixin, View):
    """An administrator removes a user's authenticator app and recovery codes (lost phone):
    the user sets up a new one at their next sign-in."""

    policy = user_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": _("Authenticator app of %(email)s") % {"email": account.email},
                "cancel_url": reverse("accounts:user_detail", kwargs={"pk": account.pk}),
                "consequences": _(
                    "Their recovery codes stop working too; they set up a new authenticator "
                    "app the next time they sign in."
                ),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_object()
        mfa.mfa_reset(user=account)
        audit(AuditEvent.Kind.MFA_RESET, request=request, account_id=account.pk)
        messages.success(request, _("Authenticator app removed."))
        return redirect("accounts:user_detail", pk=account.pk)


# --- passkeys (accounts/passkeys.py) ------------------------------------------------------

MAX_JSON_BYTES = 64 * 1024


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if int(request.headers.get("Content-Length") or 0) > MAX_JSON_BYTES:
        raise ValidationError(_("The request is too large."))
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(_("The request could not be read.")) from error
    if not isinstance(body, dict):
        raise ValidationError(_("The request could not be read."))
    return body


def _json_error(error: ValidationError, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": " ".join(error.messages)}, status=status)


class MFAPasskeysView(LoginRequiredMixin, View):
    """One's passkeys: add one (with JavaScript: the browser asks the phone or the key) or
    remove one. Adding a passkey when a second factor exists needs this session's recent one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "accounts/mfa_passkeys.html",
            {
                "passkeys": Passkey.objects.filter(user=_user(request)),
                "enrolled": mfa.mfa_enrolled(request.user),
                "needs_fresh_factor": mfa.mfa_enrolled(request.user)
                and not mfa.recently_verified(request),
            },
        )


class PasskeyRegisterOptionsView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if mfa.mfa_enrolled(request.user) and not mfa.recently_verified(request):
            return JsonResponse(
                {
                    "error": _("Confirm it is you first."),
                    "redirect": mfa.verify_redirect(request, reverse("mfa:passkeys")).url,
                },
                status=403,
            )
        try:
            return JsonResponse(passkeys.begin_registration(request, _user(request)))
        except ValidationError as error:
            return _json_error(error)


class PasskeyRegisterView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        first_factor = not mfa.mfa_enrolled(user)
        if not first_factor and not mfa.recently_verified(request):
            return _json_error(ValidationError(_("Confirm it is you first.")), status=403)
        try:
            body = _json_body(request)
            passkey = passkeys.complete_registration(
                request, user, body.get("credential"), str(body.get("name") or "")
            )
        except ValidationError as error:
            return _json_error(error)
        mfa.mark_verified(request)
        audit(AuditEvent.Kind.MFA_ENROLLED, request=request, passkey_id=passkey.pk)
        messages.success(request, _("Your passkey is set up."))
        if first_factor:
            request.session[mfa.NEW_RECOVERY_CODES] = mfa.recovery_codes_regenerate(user=user)
            return JsonResponse({"redirect": reverse("mfa:recovery_codes")})
        return JsonResponse({"redirect": reverse("mfa:passkeys")})


class PasskeyOptionsView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if mfa.mfa_locked(_user(request)):
            return _json_error(ValidationError(_locked_message()))
        try:
            return JsonResponse(passkeys.begin_authentication(request, _user(request)))
        except ValidationError as error:
            return _json_error(error)


class PasskeyVerifyView(LoginRequiredMixin, View):
    """The passkey's answer to this session's challenge: the second factor is given."""

    def post(self, request: HttpRequest) -> HttpResponse:
        user = _user(request)
        if mfa.mfa_locked(user):
            return _json_error(ValidationError(_locked_message()))
        try:
            body = _json_body(request)
            passkey = passkeys.complete_authentication(request, user, body.get("credential"))
        except ValidationError as error:
            audit(AuditEvent.Kind.MFA_FAILED, request=request, method="passkey")
            return _json_error(error)
        mfa.mark_verified(request)
        audit(
            AuditEvent.Kind.MFA_VERIFIED, request=request, method="passkey", passkey_id=passkey.pk
        )
        return JsonResponse({"redirect": mfa.safe_next(request, request.GET.get("next"))})


class PasskeyDeleteView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not mfa.recently_verified(request):
            return mfa.verify_redirect(request, reverse("mfa:passkeys"))
        user = _user(request)
        if (
            mfa.mfa_required(user)
            and not TOTPDevice.objects.filter(user=user).exists()
            and Passkey.objects.filter(user=user).count() <= 1
        ):
            messages.error(
                request,
                _(
                    "This is your only second factor: add another passkey or an authenticator "
                    "app before removing it."
                ),
            )
        elif passkeys.remove(user, pk):
            audit(AuditEvent.Kind.MFA_RESET, request=request, passkey_id=pk)
            messages.success(request, _("Passkey removed."))
        return redirect("mfa:passkeys")
