"""Building an instrument in the browser: a blank instrument, then indices and questions.

Every change rewrites the stored XLSForm from the definition, so the form can be downloaded and
deployed in KoboToolbox or ODK at any moment.
"""

import dataclasses
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fortalece.impact.core.instrument import Index, Instrument, InstrumentError, Item
from fortalece.impact.core.xlsform import write_xlsform
from fortalece.impact.models import SurveyInstrument
from fortalece.impact.services import instrument_from_json, instrument_to_json
from fortalece.impact.texts import translate

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


class BlankInstrumentForm(forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Programme")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.CharField(label=_("Version"), max_length=40, initial="1")

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class IndexForm(forms.Form):
    code = forms.RegexField(
        label=_("Code"), regex=NAME, max_length=40, help_text=_("Letters, digits and _ only.")
    )
    label = forms.CharField(label=_("Name of the index"), max_length=200)
    components = forms.CharField(
        label=_("Aggregate of (index codes, comma-separated)"),
        required=False,
        help_text=_("Leave empty for an index made of questions."),
    )


class QuestionForm(forms.Form):
    name = forms.RegexField(
        label=_("Question name"),
        regex=NAME,
        max_length=60,
        help_text=_("Letters, digits and _ only."),
    )
    label_es = forms.CharField(label=_("Question in Spanish"), max_length=300)
    label_en = forms.CharField(label=_("Question in English"), max_length=300, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[
            ("likert", _("Agreement 1–5 (with “don't know”)")),
            ("knowledge", _("Knowledge: one right answer")),
        ],
    )
    indices = forms.CharField(label=_("Indices (codes, comma-separated)"))
    reverse = forms.BooleanField(label=_("Negatively worded: reverse the score"), required=False)
    options = forms.CharField(
        label=_("Knowledge: answer options, one per line, the right one first"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _save(instrument: SurveyInstrument, definition: Any) -> list[str]:
    instrument.definition = instrument_to_json(definition)
    instrument.save(update_fields=["definition"])
    instrument.xlsform.save(
        f"instrument-{instrument.pk}.xlsx", ContentFile(write_xlsform(definition)), save=True
    )
    try:
        definition.validate()
    except InstrumentError as error:
        return [translate(error.message)]
    return []


@transaction.atomic
def instrument_blank(*, programme: Any, title: str, version: str, by: Any) -> SurveyInstrument:
    blank = Instrument(title=title, version=version)
    instrument = SurveyInstrument.objects.create(
        programme=programme,
        title=title,
        version=version,
        definition=instrument_to_json(blank),
        created_by=by,
    )
    _save(instrument, blank)
    return instrument


@transaction.atomic
def index_add(*, instrument: SurveyInstrument, code: str, label: str, components: str) -> list[str]:
    definition = instrument_from_json(instrument.definition)
    if any(i.code == code for i in definition.indices):
        raise InstrumentError(f"An index '{code}' already exists.")
    parts = tuple(c.strip() for c in components.split(",") if c.strip())
    definition.indices.append(Index(code, label, 0.5, parts))
    return _save(instrument, definition)


@transaction.atomic
def question_add(*, instrument: SurveyInstrument, data: dict[str, Any]) -> list[str]:
    definition = instrument_from_json(instrument.definition)
    if any(i.name == data["name"] for i in definition.items):
        raise InstrumentError(f"A question '{data['name']}' already exists.")
    indices = tuple(c.strip() for c in data["indices"].split(",") if c.strip())
    unknown = [c for c in indices if c not in {i.code for i in definition.indices}]
    if unknown:
        raise InstrumentError(f"Unknown index: {', '.join(unknown)}. Add the index first.")
    labels = (("Español (es)", data["label_es"]),) + (
        (("English (en)", data["label_en"]),) if data.get("label_en") else ()
    )
    if data["kind"] == "knowledge":
        options = [line.strip() for line in data.get("options", "").splitlines() if line.strip()]
        if len(options) < 2:
            raise InstrumentError("A knowledge question needs at least two answer options.")
        choices = tuple((f"o{n}", text) for n, text in enumerate(options, start=1))
        item = Item(
            data["name"],
            label=data["label_es"],
            kind="knowledge",
            correct="o1",
            indices=indices,
            choices=choices,
            labels=labels,
        )
    else:
        choices = tuple((str(v), str(v)) for v in range(1, 6)) + (("98", "No sé / Don't know"),)
        item = Item(
            data["name"],
            label=data["label_es"],
            scale_min=1,
            scale_max=5,
            missing_codes=("98",),
            reverse=data.get("reverse", False),
            indices=indices,
            choices=choices,
            labels=labels,
        )
    definition.items.append(item)
    return _save(instrument, dataclasses.replace(definition))
