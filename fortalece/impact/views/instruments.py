"""Survey instruments: upload an XLSForm, read it, download it, build one in the browser."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact.core.instrument import InstrumentError, instrument_from_json
from fortalece.impact.core.reading import set_aside, set_aside_messages
from fortalece.impact.core.xlsform import XLSFormError
from fortalece.impact.forms import (
    BlankInstrumentForm,
    IndexForm,
    InstrumentUploadForm,
    QuestionForm,
)
from fortalece.impact.models import SurveyInstrument
from fortalece.impact.policies import instrument_policy
from fortalece.impact.services.instruments import (
    index_add,
    instrument_blank,
    instrument_upload,
    question_add,
)
from fortalece.impact.texts import translate


class InstrumentProgrammesMixin:
    """Instruments belong to a programme the user works on as an M&E officer."""

    def _programmes(self, request: HttpRequest) -> Any:
        return instrument_policy.addable_programmes(request.user)


class InstrumentUploadView(InstrumentProgrammesMixin, PolicyRequiredMixin, View):
    policy = instrument_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = InstrumentUploadForm(programmes=self._programmes(request))
        return render(request, "impact/instrument_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InstrumentUploadForm(
            request.POST, request.FILES, programmes=self._programmes(request)
        )
        if form.is_valid():
            upload = form.cleaned_data["xlsform"]
            try:
                instrument = instrument_upload(
                    programme=form.cleaned_data["programme"],
                    name=upload.name,
                    content=upload.read(),
                    by=request.user,
                )
            except XLSFormError as error:
                form.add_error("xlsform", translate(error.message))
            else:
                messages.success(request, _("Instrument saved."))
                return redirect(instrument)
        return render(request, "impact/instrument_form.html", {"form": form})


def kirkpatrick_labels() -> dict[str, str]:
    return {
        "reaction": _("Reaction"),
        "learning": _("Learning"),
        "behaviour": _("Behaviour"),
        "results": _("Results"),
    }


class InstrumentDetailView(PolicyRequiredMixin, View):
    policy = instrument_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        definition = instrument.definition
        parsed = instrument_from_json(definition)
        items = []
        level_labels = kirkpatrick_labels()
        for item, data in zip(parsed.items, definition.get("items", []), strict=True):
            labels = dict(item.choices)
            scale = ""
            if item.kind == "likert":
                low, high = (f"{v:g}" for v in (item.scale_min, item.scale_max))
                scale = f"{low}–{high}"
            items.append(
                {
                    **data,
                    "level_label": level_labels.get(item.level, ""),
                    "scale": scale,
                    "not_scored": ", ".join(
                        f"{c} '{labels.get(c, c)}'" for c in item.missing_codes
                    ),
                }
            )
        return render(
            request,
            "impact/instrument_detail.html",
            {
                "instrument": instrument,
                "items": items,
                "indices": [
                    {**data, "level_label": level_labels.get(parsed.index_level(index.code), "")}
                    for index, data in zip(
                        parsed.indices, definition.get("indices", []), strict=True
                    )
                ],
                "set_aside": [translate(m) for m in set_aside_messages(set_aside(parsed))],
            },
        )


class InstrumentDownloadView(PolicyRequiredMixin, View):
    policy = instrument_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        instrument.xlsform.open("rb")
        response = HttpResponse(
            instrument.xlsform.read(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="instrument-{instrument.pk}.xlsx"'
        return response


class InstrumentBlankView(InstrumentProgrammesMixin, PolicyRequiredMixin, View):
    policy = instrument_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "impact/instrument_form.html",
            {"form": BlankInstrumentForm(programmes=self._programmes(request)), "blank": True},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BlankInstrumentForm(request.POST, programmes=self._programmes(request))
        if form.is_valid():
            if SurveyInstrument.objects.filter(
                programme=form.cleaned_data["programme"],
                title=form.cleaned_data["title"],
                version=form.cleaned_data["version"],
            ).exists():
                form.add_error("version", _("This programme already has this instrument version."))
            else:
                instrument = instrument_blank(by=request.user, **form.cleaned_data)
                return redirect("impact:instrument_build", pk=instrument.pk)
        return render(request, "impact/instrument_form.html", {"form": form, "blank": True})


class InstrumentBuildView(PolicyRequiredMixin, View):
    policy = instrument_policy
    permission_action = "change"

    def _render(
        self,
        request: HttpRequest,
        instrument: Any,
        index_form: Any = None,
        question_form: Any = None,
        problems: list[str] | None = None,
    ) -> HttpResponse:
        definition = instrument.definition
        return render(
            request,
            "impact/instrument_build.html",
            {
                "instrument": instrument,
                "items": definition.get("items", []),
                "indices": definition.get("indices", []),
                "index_form": index_form or IndexForm(prefix="index"),
                "question_form": question_form or QuestionForm(prefix="q"),
                "problems": problems or [],
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        return self._render(request, instrument)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        if "index-code" in request.POST:
            form = IndexForm(request.POST, prefix="index")
            if form.is_valid():
                try:
                    problems = index_add(instrument=instrument, **form.cleaned_data)
                except InstrumentError as error:
                    form.add_error(None, translate(error.message))
                else:
                    messages.success(request, _("Index added."))
                    return self._render(request, instrument, problems=problems)
            return self._render(request, instrument, index_form=form)
        question = QuestionForm(request.POST, prefix="q")
        if question.is_valid():
            try:
                problems = question_add(instrument=instrument, data=question.cleaned_data)
            except InstrumentError as error:
                question.add_error(None, translate(error.message))
            else:
                messages.success(request, _("Question added."))
                return self._render(request, instrument, problems=problems)
        return self._render(request, instrument, question_form=question)
