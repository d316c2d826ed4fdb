import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from fortalece.people.models import Person
from fortalece.people.policies import person_policy
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


# Deleting and merging person records rewrite other apps' rows (privacy/services.py); the
# pages keep their people: URL names (fortalece/urls.py adds them to that namespace).


class PersonDeleteView(PolicyRequiredMixin, View):
    policy = person_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": person,
                "cancel_url": person.get_absolute_url(),
                "consequences": _("Their enrolments and attendance are deleted with them."),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.get_object()
        try:
            services.person_delete(person=person, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(person)
        messages.success(request, _("Person deleted."))
        return redirect("people:person_list")


class PersonMergeView(PolicyRequiredMixin, SensitiveActionMixin, View):
    policy = person_policy
    permission_action = "merge"

    def _pair(self, request: HttpRequest, pk: int, other: int) -> tuple[Person, Person]:
        keep = person_policy.get_for_user(user=request.user, pk=pk, action="merge")
        duplicate = person_policy.get_for_user(user=request.user, pk=other, action="merge")
        if keep.pk == duplicate.pk:
            raise PermissionDenied
        return keep, duplicate

    def _rows(self, keep: Person, duplicate: Person) -> list[dict[str, Any]]:
        rows = []
        for name in services.MERGEABLE:
            field = Person._meta.get_field(name)
            a = getattr(keep, f"get_{name}_display", lambda n=name: getattr(keep, n))()
            b = getattr(duplicate, f"get_{name}_display", lambda n=name: getattr(duplicate, n))()
            rows.append(
                {
                    "name": name,
                    "label": getattr(field, "verbose_name", name),
                    "keep": a,
                    "duplicate": b,
                    "differs": a != b,
                }
            )
        return rows

    def get(self, request: HttpRequest, pk: int, other: int) -> HttpResponse:
        keep, duplicate = self._pair(request, pk, other)
        context = {
            "keep": keep,
            "duplicate": duplicate,
            "rows": self._rows(keep, duplicate),
            "keep_enrolments": keep.enrolments.count(),
            "duplicate_enrolments": duplicate.enrolments.count(),
        }
        return render(request, "people/person_merge.html", context)

    def post(self, request: HttpRequest, pk: int, other: int) -> HttpResponse:
        keep, duplicate = self._pair(request, pk, other)
        choices = {
            name: request.POST.get(f"choice_{name}", "keep")
            for name in services.MERGEABLE
            if request.POST.get(f"choice_{name}") in ("keep", "duplicate")
        }
        try:
            merge = services.person_merge(
                keep=keep, duplicate=duplicate, by=request.user, field_choices=choices
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("people:person_merge", pk=pk, other=other)
        messages.success(
            request,
            _("Records merged: %(n)s enrolments moved; all history is kept.")
            % {"n": merge.moved_enrolments},
        )
        return redirect("people:person_detail", pk=keep.pk)
