from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.exports import csv_response, xlsx_response
from fortalece.core.pagination import paginate
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.imports import services
from fortalece.imports.core.reader import FileProblem
from fortalece.imports.core.schema import TARGETS
from fortalece.imports.forms import MappingForm, UploadForm
from fortalece.imports.models import ImportJob
from fortalece.imports.policies import import_policy
from fortalece.imports.tasks import run_import
from fortalece.people.policies import person_policy
from fortalece.training.policies import workshop_policy

PREVIEW_ROWS = 10


def _workshops(request: HttpRequest) -> Any:
    return workshop_policy.instances_user_has_permission_for(request.user, "import")


def _messages(job: ImportJob) -> list[dict[str, Any]]:
    return [
        {**e, "text": _(e["message"]) % e.get("params", {}) if e.get("params") else _(e["message"])}
        for e in job.errors
    ]


class ImportListView(PolicyRequiredMixin, View):
    policy = import_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        jobs = self.get_queryset().select_related("workshop").order_by("-created_at")
        return render(request, "imports/list.html", paginate(request, jobs))


class ImportCreateView(PolicyRequiredMixin, View):
    policy = import_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {
            "kind": request.GET.get("kind", "people"),
            "workshop": request.GET.get("workshop"),
        }
        form = UploadForm(
            initial=initial,
            workshops=_workshops(request),
            can_add_people=person_policy.user_has_permission(request.user, "import"),
        )
        return render(request, "imports/create.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(
            request.POST,
            request.FILES,
            workshops=_workshops(request),
            can_add_people=person_policy.user_has_permission(request.user, "import"),
        )
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            if kind == "people" and not person_policy.user_has_permission(request.user, "import"):
                raise PermissionDenied
            try:
                job = services.import_upload(
                    user=request.user,
                    kind=kind,
                    upload=form.cleaned_data["file"],
                    workshop=form.cleaned_data.get("workshop") if kind != "people" else None,
                    create_missing_institutions=form.cleaned_data["create_missing_institutions"],
                    create_missing_people=kind == "enrolments"
                    and form.cleaned_data.get("create_missing_people", False),
                )
            except FileProblem as problem:
                form.add_error("file", _(problem.message) % problem.params)
            else:
                return redirect("imports:detail", pk=job.pk)
        return render(request, "imports/create.html", {"form": form})


class ImportDetailView(PolicyRequiredMixin, View):
    """Preview, column mapping, check, errors or summary, then save."""

    policy = import_policy

    def context(self, job: ImportJob, form: MappingForm | None = None) -> dict[str, Any]:
        preview: list[list[str]] = []
        if job.status in (ImportJob.Status.UPLOADED, ImportJob.Status.INVALID):
            try:
                table = services._open(job)
                for index, row in enumerate(table.rows):
                    if index >= PREVIEW_ROWS:
                        break
                    preview.append(row)
            except FileProblem:
                preview = []
        return {
            "job": job,
            "form": form or MappingForm(job=job),
            "preview": preview,
            "errors": _messages(job),
            "busy": job.status
            in (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.SAVING),
            "targets": TARGETS[job.kind],
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        template = "imports/_status.html" if request.htmx else "imports/detail.html"  # type: ignore[attr-defined]
        return render(request, template, self.context(job))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        action = request.POST.get("action")
        background = job.total_rows > settings.FORTALECE_IMPORT_BACKGROUND_ROWS
        if action == "check" and job.status in (
            ImportJob.Status.UPLOADED,
            ImportJob.Status.INVALID,
        ):
            form = MappingForm(request.POST, job=job)
            if not form.is_valid():
                return render(request, "imports/detail.html", self.context(job, form))
            services.job_set_mapping(
                job=job,
                mapping=form.mapping(),
                session=form.cleaned_data.get("session"),
                queued=background,
            )
            if background:
                run_import.enqueue(job.pk, "check")
            else:
                services.import_check(job=job, user=request.user)
        elif action == "save":
            if job.status != ImportJob.Status.READY:
                messages.error(request, _("This import was already saved or is not checked yet."))
                return redirect("imports:detail", pk=job.pk)
            if background:
                # Only the request that moves the job from READY to QUEUED enqueues it, so a
                # second click cannot save the file twice.
                if services.job_claim(job=job):
                    run_import.enqueue(job.pk, "save")
            else:
                try:
                    services.import_save_or_fail(job=job, user=request.user)
                except FileProblem as problem:
                    messages.error(request, str(problem))
                except services.ImportFailed:
                    messages.error(
                        request, _("The import failed and nothing was saved. Try again.")
                    )
                else:
                    messages.success(request, _("Imported."))
        return redirect("imports:detail", pk=job.pk)


class ImportErrorsView(PolicyRequiredMixin, View):
    policy = import_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        rows = [[e["row"], e["column"], e["text"]] for e in _messages(job)]
        return csv_response(f"errors-{job.pk}.csv", [_("Row"), _("Column"), _("Problem")], rows)


class ImportTemplateView(PolicyRequiredMixin, View):
    """An empty file with the expected column names, in the user's language."""

    policy = import_policy
    permission_action = "add"

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in TARGETS:
            kind = "people"
        header = [_(t.label) for t in TARGETS[kind]]
        if request.GET.get("format") == "xlsx":
            return xlsx_response(f"fortalece-{kind}.xlsx", [(kind, header, [])])
        return csv_response(f"fortalece-{kind}.csv", header, [])
