from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fortalece.core.widgets import DateInput
from fortalece.geography.forms import PlaceFieldsMixin
from fortalece.geography.models import Country
from fortalece.training.models import Course, Session, Workshop, WorkshopTrainer


class TimeInput(forms.TimeInput):
    input_type = "time"


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "programme",
            "title",
            "modality",
            "hours",
            "learning_objectives",
            "audience",
            "is_train_the_trainer",
            "completion_min_attendance",
        ]
        widgets = {"learning_objectives": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, programmes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]


class WorkshopForm(PlaceFieldsMixin, forms.ModelForm):
    generate_sessions = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Create one session per day between the start and end dates"),
    )

    class Meta:
        model = Workshop
        fields = [
            "course",
            "title",
            "start_date",
            "end_date",
            "country",
            "subdivision",
            "municipality",
            "venue",
            "capacity",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(
        self,
        *args: Any,
        courses: QuerySet[Course],
        countries: QuerySet[Country] | None = None,
        creating: bool = True,
        place_in_scope: Callable[..., bool] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.place_in_scope = place_in_scope
        self.fields["course"].queryset = courses.select_related("programme")  # type: ignore[attr-defined]
        self.fields["course"].label_from_instance = lambda c: f"{c.title} · {c.programme.code}"  # type: ignore[attr-defined]
        if not creating:
            del self.fields["generate_sessions"]
        self.setup_place_fields(countries)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_places(cleaned)
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        course, country = cleaned.get("course"), cleaned.get("country")
        if course and country and not course.programme.countries.filter(pk=country.pk).exists():
            self.add_error("country", _("The course's programme does not cover this country."))
        if (
            course
            and country
            and self.place_in_scope is not None
            and not self.errors
            and not self.place_in_scope(
                programme_id=course.programme_id,
                country_id=country.pk,
                subdivision_id=getattr(cleaned.get("subdivision"), "pk", None),
            )
        ):
            self.add_error(
                "subdivision", _("You can only plan workshops in the places you manage.")
            )
        return cleaned


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "topic"]
        widgets = {"date": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args: Any, workshop: Workshop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        # ``_post_clean`` validates the instance, whose workshop must be set by then.
        self.instance.workshop = workshop

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if not (self.workshop.start_date <= date <= self.workshop.end_date):
            raise forms.ValidationError(_("The session must fall within the workshop's dates."))
        return date


class TrainerForm(forms.Form):
    role = forms.ChoiceField(choices=WorkshopTrainer.TrainerRole.choices, label=_("Role"))
