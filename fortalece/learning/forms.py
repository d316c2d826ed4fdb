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


# What every kind of item has; each kind adds its own fields (a quiz's and an assignment's
# own settings live on their apps' pages, reached from the item's page).
COMMON_FIELDS = [
    "module",
    "title",
    "title_en",
    "required",
    "duration_minutes",
    "release_on",
    "release_after",
]
KIND_FIELDS: dict[str, list[str]] = {
    CourseItem.Kind.LESSON: ["body"],
    CourseItem.Kind.QUIZ: [],
    CourseItem.Kind.ASSIGNMENT: [],
    CourseItem.Kind.SESSION: ["session"],
}


def item_fields(kind: str, instance: CourseItem | None = None) -> list[str]:
    """The fields an item of ``kind`` is edited with. An item of another kind that carries
    text from before items had their own fields keeps the text field, so that its author
    can still see, change or empty what learners read."""
    fields = COMMON_FIELDS + KIND_FIELDS[kind]
    if "body" not in fields and instance is not None and instance.body.strip():
        fields = [*fields, "body"]
    return fields


class ItemForm(forms.ModelForm):
    """One kind's form: ``kind`` is chosen before (the course outline's "Add: …" links) and
    never changes once the item exists; only that kind's fields are shown and saved."""

    class Meta:
        model = CourseItem
        fields = [*COMMON_FIELDS, "session", "body"]
        widgets = {"release_on": DateInput(), "body": LessonEditor()}
        help_texts = {
            "body": _(
                "Headings, lists, links and images. A paragraph holding only a YouTube or "
                "Vimeo link shows the video."
            )
        }
        error_messages = {
            "session": {
                "required": _("Choose the in-person session."),
                "invalid_choice": _("Choose a session of this course's workshops."),
            }
        }

    def __init__(self, *args: Any, course: Course, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = item_fields(kind, self.instance if self.instance.pk else None)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["module"].queryset = CourseModule.objects.filter(  # type: ignore[attr-defined]
            course=course
        ).order_by("position", "id")
        self.fields["module"].empty_label = None  # type: ignore[attr-defined]
        earlier = CourseItem.objects.filter(module__course=course).select_related("module")
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        self.fields["release_after"].queryset = earlier  # type: ignore[attr-defined]
        if "session" in self.fields:
            sessions = (
                Session.objects.filter(workshop__course=course)
                .select_related("workshop")
                .order_by("date", "start_time", "id")
            )
            field = self.fields["session"]
            field.required = True
            field.queryset = sessions  # type: ignore[attr-defined]
            field.help_text = _(
                "A session of one of this course's cohorts (workshops). Learners complete the "
                "item once they are marked present at it; learners of the other cohorts, at "
                "their own cohort's session in the same place of its schedule (the second "
                "session for the second)."
            )
            if not sessions.exists():
                field.help_text = _(
                    "This course's cohorts have no sessions yet: add a session to a cohort "
                    "(its workshop page) first."
                )
        if "body" in self.fields and kind != CourseItem.Kind.LESSON:
            self.fields["body"].help_text = _(
                "Only lessons have text of their own. Learners still see this text on the "
                "item's page: keep it, change it, or empty it to remove it."
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
