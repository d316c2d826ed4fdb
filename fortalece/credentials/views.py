import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control

from fortalece.core.pagination import paginate
from fortalece.core.policies import own_person_id
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.credentials import badges, hooks, services
from fortalece.credentials.codes import normalise
from fortalece.credentials.forms import IssueForm, RevokeForm, VerifyForm
from fortalece.credentials.models import Certificate
from fortalece.credentials.pdf import render_certificate_pdf
from fortalece.credentials.policies import certificate_policy
from fortalece.training.models import Course, Enrolment
from fortalece.training.policies import workshop_policy


def _public(path: str) -> str:
    return settings.FORTALECE_PUBLIC_URL.rstrip("/") + path


# Public pages: anyone holding a code may verify it. They reveal the holder's name, the
# course, the date and the status — nothing else.


class VerifyFormView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = VerifyForm(request.GET or None)
        if form.is_valid():
            code = normalise(form.cleaned_data["code"])
            if code:
                return redirect("credentials:verify", code=code)
            form.add_error(
                "code",
                _("This is not a valid certificate code. Check it letter by letter."),
            )
        return render(request, "credentials/verify_form.html", {"form": form})


class VerifyView(View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        canonical = normalise(code)
        certificate = (
            Certificate.objects.filter(code=canonical)
            .only("code", "holder_name", "course_title", "completed_on", "revoked_at")
            .first()
            if canonical
            else None
        )
        context = {
            "certificate": certificate,
            "malformed": canonical is None,
            "form": VerifyForm(initial={"code": code}),
        }
        status = 200 if certificate else 404
        return render(request, "credentials/verify.html", context, status=status)


@cache_control(max_age=3600, public=True)
def issuer_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        badges.issuer(
            url=_public(reverse("credentials:issuer")),
            name=settings.FORTALECE_ISSUER_NAME,
            homepage=_public("/"),
        )
    )


@cache_control(max_age=3600, public=True)
def badge_class_json(request: HttpRequest, pk: int) -> JsonResponse:

    course = get_object_or_404(Course, pk=pk)
    return JsonResponse(
        badges.badge_class(
            url=_public(reverse("credentials:badge_class", args=[pk])),
            name=course.title,
            description=course.learning_objectives,
            image=_public(reverse("credentials:badge_image", args=[pk])),
            criteria=_("Attend at least %(pct)s%% of the sessions of a workshop of this course.")
            % {"pct": course.completion_min_attendance},
            issuer_url=_public(reverse("credentials:issuer")),
        )
    )


@cache_control(max_age=3600, public=True)
def badge_image(request: HttpRequest, pk: int) -> HttpResponse:

    course = get_object_or_404(Course, pk=pk)
    return render(
        request, "credentials/badge.svg", {"course": course}, content_type="image/svg+xml"
    )


def _assertion(certificate: Certificate) -> dict[str, Any]:
    person = certificate.enrolment.person
    if person.email:
        recipient_type, identity = "email", person.email
    elif person.phone:
        recipient_type, identity = "telephone", person.phone
    else:
        raise ValidationError(_("Add an email address to the person to issue a badge."))
    return badges.assertion(
        url=_public(reverse("credentials:assertion", args=[certificate.code])),
        badge_url=_public(
            reverse("credentials:badge_class", args=[certificate.enrolment.workshop.course_id])
        ),
        recipient_type=recipient_type,
        recipient_identity=identity,
        salt=certificate.code,
        issued_on=certificate.issued_on.isoformat() + "T00:00:00Z",
        evidence_url=_public(certificate.get_absolute_url()),
        revoked=certificate.is_revoked,
        revocation_reason=certificate.revoked_reason,
    )


def assertion_json(request: HttpRequest, code: str) -> JsonResponse:
    canonical = normalise(code)
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__person", "enrolment__workshop"),
        code=canonical or "-",
    )
    try:
        document = _assertion(certificate)
    except ValidationError as error:
        raise Http404 from error
    # Open Badges hosted verification: a revoked assertion answers 410 Gone.
    return JsonResponse(document, status=410 if certificate.is_revoked else 200)


# Signed-in pages.


def _programme_line(workshop: Any, language: str) -> str:
    """The programme, preceded by the diplomas the course is part of (learning's hook)."""
    titles = hooks.course_titles(workshop.course_id, language)
    return " · ".join([*titles, workshop.programme.name])


class CertificatePdfView(PolicyRequiredMixin, View):
    policy = certificate_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_object()
        workshop = certificate.enrolment.workshop
        partners = [
            str(p.organisation) for p in workshop.programme.partners.select_related("organisation")
        ]
        pdf = render_certificate_pdf(
            certificate,
            verify_url=_public(certificate.get_absolute_url()),
            partners=partners,
            hours=workshop.course.hours,
            programme=_programme_line(workshop, certificate.language),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-{certificate.code}.pdf"'
        )
        return response


class BadgeDownloadView(PolicyRequiredMixin, View):
    policy = certificate_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_object()
        try:
            document = _assertion(certificate)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("credentials:mine")
        response = HttpResponse(
            json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.json"'
        return response


class MyCertificatesView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        person_id = own_person_id(request.user)
        certificates = Certificate.objects.none()
        if person_id:
            certificates = Certificate.objects.filter(
                enrolment__person_id=person_id
            ).select_related("enrolment__workshop")
        return render(request, "credentials/mine.html", {"certificates": certificates})


class WorkshopCertificatesView(LoginRequiredMixin, View):
    """Completed participants of a workshop, their certificates, and bulk issuing."""

    def _workshop(self, request: HttpRequest, pk: int) -> Any:

        workshop = workshop_policy.get_for_user(user=request.user, pk=pk)
        if not certificate_policy.user_has_permission(request.user, "issue") or not (
            workshop_policy.user_has_permission_for_instance(request.user, "change", workshop)
        ):
            raise PermissionDenied
        return workshop

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:

        workshop = self._workshop(request, pk)
        completed = (
            Enrolment.objects.filter(workshop=workshop, status=Enrolment.Status.COMPLETED)
            .select_related("person", "certificate")
            .order_by("person__family_names", "person__given_names", "pk")
        )
        context = {
            "workshop": workshop,
            "form": IssueForm(initial={"language": request.LANGUAGE_CODE[:2]}),
            "pending": completed.filter(certificate__isnull=True).count(),
            **paginate(request, completed),
        }
        return render(request, "credentials/workshop_certificates.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self._workshop(request, pk)
        form = IssueForm(request.POST)
        if form.is_valid():
            issued = services.certificates_issue_for_workshop(
                workshop=workshop, by=request.user, language=form.cleaned_data["language"]
            )
            messages.success(
                request,
                _("%(n)s certificates issued.") % {"n": issued}
                if issued
                else _("Every participant who completed already has a certificate."),
            )
        return redirect("credentials:workshop", pk=workshop.pk)


class CertificateRevokeView(PolicyRequiredMixin, View):
    policy = certificate_policy
    permission_action = "revoke"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_object()
        return render(
            request, "credentials/revoke.html", {"certificate": certificate, "form": RevokeForm()}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_object()
        form = RevokeForm(request.POST)
        revoked = call_service(
            form,
            lambda data: services.certificate_revoke(
                certificate=certificate, by=request.user, reason=data["reason"]
            ),
        )
        if revoked is not None:
            messages.success(request, _("The certificate is revoked."))
            return redirect("credentials:workshop", pk=certificate.enrolment.workshop_id)
        return render(
            request, "credentials/revoke.html", {"certificate": certificate, "form": form}
        )
