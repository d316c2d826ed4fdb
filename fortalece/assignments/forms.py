from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fortalece.assignments.core.files import TYPES
from fortalece.assignments.core.rubric_text import RubricTextError, parse_rubric
from fortalece.assignments.models import Assignment, Rubric
from fortalece.core.widgets import DateTimeInput
from fortalece.learning.forms import LessonEditor


class AssignmentForm(forms.ModelForm):
    file_types = forms.MultipleChoiceField(
        label=_("File types accepted"),
        choices=[(t.key, t.label) for t in TYPES.values()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each file is checked by its content, not only its name."),
    )

    class Meta:
        model = Assignment
        fields = [
            "instructions",
            "due_at",
            "late_policy",
            "late_penalty_per_day",
            "late_refuse_after_days",
            "grading",
            "max_points",
            "rubric",
            "pass_percent",
            "allow_resubmission",
            "accept_text",
            "max_files",
            "max_file_mb",
            "file_types",
        ]
        widgets = {
            "instructions": LessonEditor(),
            "due_at": DateTimeInput(),
        }
        help_texts = {
            "instructions": _("Headings, lists, links and images of the course's files."),
        }

    def __init__(self, *args: Any, course: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.filter(course=course)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("grading") == Assignment.Grading.RUBRIC and not cleaned.get("rubric"):
            self.add_error("rubric", _("Choose the rubric to grade with."))
        if (
            cleaned.get("late_policy") == Assignment.LatePolicy.REFUSE
            and cleaned.get("late_refuse_after_days") is None
        ):
            self.add_error("late_refuse_after_days", _("Say after how many days."))
        if cleaned.get("max_files") and not cleaned.get("file_types"):
            self.add_error("file_types", _("Choose the types of file learners may attach."))
        if not cleaned.get("accept_text") and not cleaned.get("max_files"):
            self.add_error("accept_text", _("Accept a written answer, files or both."))
        return cleaned


class RubricForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Criteria and levels"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text=_(
            "One criterion per line, then its levels separated by | as name = points. "
            "Example: Identifies the risk | Excellent = 4 | Adequate = 2 | Insufficient = 0"
        ),
    )

    def clean_text(self) -> Any:
        text = self.cleaned_data["text"]
        try:
            self.cleaned_data["criteria"] = parse_rubric(text)
        except RubricTextError as error:
            message = _(error.message) % error.params if error.params else _(error.message)
            raise forms.ValidationError(
                _("Line %(line)s: %(message)s") % {"line": error.line, "message": message}
            ) from error
        return text


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    attachments = MultipleFileField(label=_("Files"), required=False)
    # One key per form shown: sending the same form twice hands the work in once.
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("key", uuid.uuid4())
        if not assignment.accept_text:
            del self.fields["text"]
        if assignment.max_files == 0:
            del self.fields["attachments"]
        else:
            types = [TYPES[k] for k in assignment.file_types if k in TYPES]
            accept = ",".join(ext for t in types for ext in t.extensions)
            self.fields["attachments"].widget.attrs["accept"] = accept
            self.fields["attachments"].help_text = _(
                "Up to %(count)s files of %(mb)s MB at most: %(types)s."
            ) % {
                "count": assignment.max_files,
                "mb": assignment.max_file_mb,
                "types": ", ".join(t.label for t in types),
            }


class GradeForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback for the learner"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    allow_resubmission = forms.BooleanField(
        label=_("Let the learner hand in a new attempt"), required=False
    )

    def __init__(self, *args: Any, assignment: Assignment, criteria: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.criteria = list(criteria)
        new_fields: dict[str, forms.Field] = {}
        if assignment.grading == Assignment.Grading.RUBRIC:
            for criterion in self.criteria:
                new_fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                    label=criterion.title,
                    choices=[
                        (lv.pk, f"{lv.title} ({lv.points.normalize():f})")
                        for lv in criterion.levels.all()
                    ],
                    coerce=int,
                    widget=forms.RadioSelect,
                )
        else:
            new_fields["points"] = forms.DecimalField(
                label=_("Points (out of %(max)s)")
                % {"max": f"{assignment.max_points.normalize():f}"},
                min_value=Decimal(0),
                max_value=assignment.max_points,
                decimal_places=2,
            )
        self.fields = {**new_fields, **self.fields}  # type: ignore[assignment]

    def selections(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class OverrideForm(forms.Form):
    score = forms.DecimalField(
        label=_("Score (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to remove the override and show the computed score."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, columns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        for column in self.columns:
            self.fields[f"w{column.item.pk}"] = forms.DecimalField(
                label=column.item.display_title,
                min_value=Decimal(0),
                max_value=Decimal(999),
                decimal_places=2,
                initial=column.weight,
            )

    def weights(self) -> dict[Any, Decimal]:
        return {c.item: self.cleaned_data[f"w{c.item.pk}"] for c in self.columns}
