import json

from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from fortalece.accounts.mfa import SensitiveActionMixin
from fortalece.core.audit import audit
from fortalece.core.models import AuditEvent
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.privacy import services
from fortalece.privacy.policies import person_privacy_policy


class PersonPrivacyView(PolicyRequiredMixin, View):
    """A person's history (who changed what, when) and their subject-access and erasure."""

    policy = person_privacy_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        history_kept = connection.vendor == "postgresql"
        return render(
            request,
            "privacy/person_privacy.html",
            {
                "person": person,
                "history": services.person_history(person) if history_kept else [],
                "history_kept": history_kept,
            },
        )


class PersonExportView(PolicyRequiredMixin, SensitiveActionMixin, View):
    """Subject access: everything held about the person, as JSON or PDF (a fresh code first)."""

    policy = person_privacy_policy
    permission_action = "export"
    sensitive_methods = ("GET",)

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        person = self.get_object()
        audit(AuditEvent.Kind.EXPORT, request=request, person_id=person.pk, format=fmt)
        if fmt == "pdf":
            response = HttpResponse(
                services.person_data_pdf(person), content_type="application/pdf"
            )
        else:
            body = json.dumps(services.person_data(person), ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.{fmt}"'
        return response


class PersonEraseView(PolicyRequiredMixin, SensitiveActionMixin, View):
    policy = person_privacy_policy
    permission_action = "erase"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": person,
                "cancel_url": reverse("privacy:person", kwargs={"pk": person.pk}),
                "consequences": _(
                    "Names, email, phone, rank and the account link are removed from the "
                    "record, its certificates and its history. Sex, profession, institution "
                    "and training stay, without a name, so that figures do not change. This "
                    "cannot be undone."
                ),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        services.person_erase(person=person)
        audit(AuditEvent.Kind.ERASURE, request=request, person_id=person.pk)
        messages.success(request, _("The person's identifying data was erased."))
        return redirect("privacy:person", pk=person.pk)
