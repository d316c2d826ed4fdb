"""Forms of the bank (a question of each type), imports, and quiz settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fortalece.core.query import query_int
from fortalece.core.widgets import DateTimeInput
from fortalece.impact.models import SurveyInstrument
from fortalece.quizzes.core.questions import Choice, NumericAnswer, Pair, QType, validate
from fortalece.quizzes.core.questions import Question as CoreQuestion
from fortalece.quizzes.models import Question, QuestionCategory, Quiz
from fortalece.training.models import Course

ROWS = 6
MAX_ROWS = 26
MAX_UPLOAD = 2 * 1024 * 1024


def _rows(data: Any, instance_rows: int) -> int:
    wanted = ROWS
    if data is not None:
        raw = str(data.get("rows", "") or "")
        number = query_int(raw)
        wanted = ROWS if number is None else number
    return max(min(max(wanted, instance_rows + 1, ROWS), MAX_ROWS), 2)


class QuestionForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=QuestionCategory.objects.none(), required=False
    )
    new_category = forms.CharField(label=_("Or a new category"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    general_feedback = forms.CharField(
        label=_("General feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to every learner when answers are reviewed."),
    )
    mark = forms.IntegerField(label=_("Marks"), min_value=1, max_value=100, initial=1)
    impact_item = forms.CharField(
        label=_("Evaluation question (optional)"),
        max_length=100,
        required=False,
        help_text=Question._meta.get_field("impact_item").help_text,
    )

    def __init__(
        self,
        *args: Any,
        course: Course,
        qtype: QType,
        instance: Question | None = None,
        **kwargs: Any,
    ):
        self.course, self.qtype, self.instance = course, qtype, instance
        core = instance.as_core() if instance else None
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial(instance, core)
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = (  # type: ignore[attr-defined]
            QuestionCategory.objects.filter(course=course)
        )
        existing = 0
        if core is not None:
            existing = max(len(core.choices), len(core.numbers), len(core.pairs), len(core.items))
        self.row_count = _rows(self.data if self.is_bound else None, existing)
        self.row_groups: list[list[str]] = []
        weight: dict[str, Any] = {"min_value": -100, "max_value": 100, "required": False}
        for i in range(self.row_count):
            names: list[str] = []
            if qtype in (QType.SINGLE, QType.MULTIPLE, QType.SHORT):
                label = _("Accepted answer") if qtype == QType.SHORT else _("Option")
                self._add(names, f"opt-{i}-text", forms.CharField(label=label, required=False))
                self._add(
                    names,
                    f"opt-{i}-weight",
                    forms.DecimalField(label=_("Weight (%)"), decimal_places=5, **weight),
                )
                self._add(
                    names, f"opt-{i}-feedback", forms.CharField(label=_("Feedback"), required=False)
                )
            elif qtype == QType.NUMERIC:
                number: dict[str, Any] = {"required": False, "decimal_places": 6, "max_digits": 20}
                self._add(names, f"num-{i}-value", forms.DecimalField(label=_("Answer"), **number))
                self._add(
                    names,
                    f"num-{i}-tolerance",
                    forms.DecimalField(label=_("± tolerance"), min_value=0, **number),
                )
                self._add(
                    names,
                    f"num-{i}-high",
                    forms.DecimalField(label=_("Or a range up to"), **number),
                )
                self._add(
                    names,
                    f"num-{i}-weight",
                    forms.DecimalField(label=_("Weight (%)"), decimal_places=5, **weight),
                )
                self._add(
                    names, f"num-{i}-feedback", forms.CharField(label=_("Feedback"), required=False)
                )
            elif qtype == QType.MATCHING:
                self._add(
                    names,
                    f"pair-{i}-left",
                    forms.CharField(label=_("Item (empty: extra answer)"), required=False),
                )
                self._add(
                    names, f"pair-{i}-right", forms.CharField(label=_("Its match"), required=False)
                )
            elif qtype == QType.ORDERING:
                self._add(
                    names,
                    f"item-{i}",
                    forms.CharField(label=_("Position %(n)s") % {"n": i + 1}, required=False),
                )
            if names:
                self.row_groups.append(names)
        if qtype == QType.TRUE_FALSE:
            self.fields["correct"] = forms.TypedChoiceField(
                label=_("The statement is"),
                choices=[("true", _("True")), ("false", _("False"))],
                widget=forms.RadioSelect,
            )
            self.fields["feedback_true"] = forms.CharField(
                label=_("Feedback for 'true'"), required=False
            )
            self.fields["feedback_false"] = forms.CharField(
                label=_("Feedback for 'false'"), required=False
            )
        if qtype in (QType.SHORT, QType.NUMERIC):
            self.fields["wrong_feedback"] = forms.CharField(
                label=_("Feedback for any other answer"), required=False
            )

    def _add(self, names: list[str], name: str, field: forms.Field) -> None:
        self.fields[name] = field
        names.append(name)

    @property
    def rows(self) -> list[list[forms.BoundField]]:
        return [[self[name] for name in group] for group in self.row_groups]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("category", "new_category", "title", "text")]

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        names = ["correct", "feedback_true", "feedback_false", "wrong_feedback"]
        return [self[n] for n in names if n in self.fields]

    @property
    def tail_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("general_feedback", "mark", "impact_item")]

    @staticmethod
    def _initial(instance: Question, core: CoreQuestion | None) -> dict[str, Any]:
        assert core is not None  # noqa: S101
        initial: dict[str, Any] = {
            "category": instance.category_id,
            "title": instance.title,
            "text": instance.text,
            "general_feedback": instance.general_feedback,
            "mark": instance.mark,
            "impact_item": instance.impact_item,
            "wrong_feedback": core.wrong_feedback,
            "feedback_true": core.feedback_true,
            "feedback_false": core.feedback_false,
            "correct": "true" if core.correct else "false",
        }
        for i, c in enumerate(core.choices):
            initial |= {
                f"opt-{i}-text": c.text,
                f"opt-{i}-weight": c.weight,
                f"opt-{i}-feedback": c.feedback,
            }
        for i, n in enumerate(core.numbers):
            initial |= {
                f"num-{i}-value": n.value,
                f"num-{i}-tolerance": n.tolerance if n.high is None else None,
                f"num-{i}-high": n.high,
                f"num-{i}-weight": n.weight,
                f"num-{i}-feedback": n.feedback,
            }
        for i, p in enumerate(core.pairs):
            initial |= {f"pair-{i}-left": p.left, f"pair-{i}-right": p.right}
        for i, item in enumerate(core.items):
            initial[f"item-{i}"] = item
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not data.get("category") and not (data.get("new_category") or "").strip():
            self.add_error("category", _("Choose a category or name a new one."))
            return data
        self.core = self._core(data)
        for problem in validate(self.core):
            self.add_error(None, problem.render(gettext))
        return data

    def _core(self, data: dict[str, Any]) -> CoreQuestion:
        q = self.qtype
        rows = range(self.row_count)
        choices: list[Choice] = []
        numbers: list[NumericAnswer] = []
        pairs: list[Pair] = []
        items: list[str] = []
        default_weight = 100.0 if q == QType.SHORT else 0.0
        for i in rows:
            if q in (QType.SINGLE, QType.MULTIPLE, QType.SHORT):
                text = (data.get(f"opt-{i}-text") or "").strip()
                if text:
                    w = data.get(f"opt-{i}-weight")
                    choices.append(
                        Choice(
                            text,
                            default_weight if w is None else float(w),
                            (data.get(f"opt-{i}-feedback") or "").strip(),
                        )
                    )
            elif q == QType.NUMERIC:
                value = data.get(f"num-{i}-value")
                if value is not None:
                    high = data.get(f"num-{i}-high")
                    tol = data.get(f"num-{i}-tolerance")
                    w = data.get(f"num-{i}-weight")
                    numbers.append(
                        NumericAnswer(
                            float(value),
                            0.0 if tol is None or high is not None else float(tol),
                            None if high is None else float(high),
                            100.0 if w is None else float(w),
                            (data.get(f"num-{i}-feedback") or "").strip(),
                        )
                    )
            elif q == QType.MATCHING:
                left = (data.get(f"pair-{i}-left") or "").strip()
                right = (data.get(f"pair-{i}-right") or "").strip()
                if left or right:
                    pairs.append(Pair(left, right))
            elif q == QType.ORDERING:
                item = (data.get(f"item-{i}") or "").strip()
                if item:
                    items.append(item)
        return CoreQuestion(
            qtype=q,
            text=data["text"].strip(),
            title=(data.get("title") or "").strip(),
            general_feedback=(data.get("general_feedback") or "").strip(),
            choices=tuple(choices),
            correct=(data.get("correct") == "true") if q == QType.TRUE_FALSE else None,
            feedback_true=(data.get("feedback_true") or "").strip(),
            feedback_false=(data.get("feedback_false") or "").strip(),
            numbers=tuple(numbers),
            wrong_feedback=(data.get("wrong_feedback") or "").strip(),
            pairs=tuple(pairs),
            items=tuple(items),
        )


class ImportForm(forms.Form):
    fmt = forms.ChoiceField(
        label=_("Format"), choices=[("gift", "Moodle GIFT"), ("aiken", "Aiken")], initial="gift"
    )
    file = forms.FileField(
        label=_("File (.txt)"), required=False, help_text=_("UTF-8 text, at most 2 MB.")
    )
    text = forms.CharField(
        label=_("Or paste the questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    category = forms.CharField(
        label=_("Category for questions without one"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                data["content"] = upload.read(MAX_UPLOAD + 1).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    _("The file is not UTF-8 text; save it as UTF-8 and try again.")
                ) from error
        else:
            data["content"] = data.get("text") or ""
        if not data["content"].strip():
            raise forms.ValidationError(_("Choose a file or paste some questions."))
        return data


class QuizSettingsForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "intro",
            "attempts_allowed",
            "time_limit_minutes",
            "pass_mark",
            "closes_at",
            "shuffle_questions",
            "shuffle_options",
            "one_per_page",
            "allow_offline",
            "review",
            "feedback_pass",
            "feedback_fail",
            "impact_instrument",
            "impact_wave",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "feedback_pass": forms.Textarea(attrs={"rows": 2}),
            "feedback_fail": forms.Textarea(attrs={"rows": 2}),
            "closes_at": DateTimeInput(),
        }

    def __init__(
        self, *args: Any, categories: list[QuestionCategory], draws: dict[int, int], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)

        programme_id = self.instance.item.module.course.programme_id
        instruments = SurveyInstrument.objects.filter(programme_id=programme_id)
        self.fields["impact_instrument"].queryset = instruments  # type: ignore[attr-defined]
        self.draw_names = []
        for category in categories:
            name = f"draw-{category.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Questions from '%(category)s' (of %(size)s)")
                % {"category": category.name, "size": getattr(category, "size", "?")},
                min_value=0,
                max_value=500,
                required=False,
                initial=draws.get(category.pk),
                help_text=_("0: all of them; empty: none."),
            )
            self.draw_names.append((category, name))

    @property
    def draw_fields(self) -> list[forms.BoundField]:
        return [self[name] for _category, name in self.draw_names]

    @property
    def setting_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.Meta.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("impact_instrument") and not data.get("impact_wave"):
            self.add_error(
                "impact_wave", _("Say whether this quiz is the pre-test or the post-test.")
            )
        for category, name in self.draw_names:
            count = data.get(name)
            size = getattr(category, "size", None)
            if count and size is not None and count > size:
                self.add_error(
                    name,
                    _("The category has only %(size)s questions.") % {"size": size},
                )
        return data

    def draws(self) -> list[tuple[QuestionCategory, int]]:
        return [
            (category, self.cleaned_data[name])
            for category, name in self.draw_names
            if self.cleaned_data.get(name) is not None
        ]
