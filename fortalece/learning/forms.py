from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fortalece.core.widgets import DateInput
from fortalece.learning.models import CourseItem, CourseModule, Diploma
from fortalece.programmes.models import Programme
from fortalece.training.models import Course, Session


class ModuleForm(forms.ModelForm):
    class Meta:
        model = CourseModule
        fields = ["title", "title_en"]


class LessonEditor(forms.Textarea):
    """A textarea the ProseMirror editor (django-prose-editor) takes over when scripts run;
    without them authors type HTML, which is sanitised all the same."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(attrs={"rows": 14, "data-lesson-editor": "", **kwargs.pop("attrs", {})})


class ItemForm(forms.ModelForm):
    class Meta:
        model = CourseItem
        fields = [
            "kind",
            "module",
            "title",
            "title_en",
            "required",
            "duration_minutes",
            "release_on",
            "release_after",
            "session",
            "body",
        ]
        widgets = {"release_on": DateInput(), "body": LessonEditor()}
        help_texts = {
            "body": _(
                "Headings, lists, links and images. A paragraph holding only a YouTube or "
                "Vimeo link shows the video."
            )
        }

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = CourseModule.objects.filter(  # type: ignore[attr-defined]
            course=course
        ).order_by("position", "id")
        self.fields["module"].empty_label = None  # type: ignore[attr-defined]
        earlier = CourseItem.objects.filter(module__course=course).select_related("module")
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["release_after"].queryset = earlier  # type: ignore[attr-defined]
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            Session.objects.filter(workshop__course=course)
            .select_related("workshop")
            .order_by("date")
        )


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class CopyForm(forms.Form):
    programme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Into programme"), queryset=Programme.objects.none()
    )
    title = forms.CharField(label=_("Title of the copy"), max_length=200)

    def __init__(self, *args: Any, programmes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    programme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Into programme"), queryset=Programme.objects.none()
    )
    package = forms.FileField(
        label=_("Course package (.zip)"),
        help_text=_("A package exported from Fortalece (docs/learning.md)."),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class DiplomaForm(forms.ModelForm):
    class Meta:
        model = Diploma
        fields = [
            "programme",
            "title",
            "title_en",
            "description",
            "hours",
            "completion_rule",
            "courses_needed",
            "awarding_body",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, programmes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class DiplomaCourseForm(forms.Form):
    course: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none()
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def __init__(self, *args: Any, courses: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
