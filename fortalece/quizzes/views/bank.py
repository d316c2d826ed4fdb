"""Authoring: the question bank of a course, imports and exports, quiz settings, results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.learning.models import CourseItem
from fortalece.quizzes import selectors
from fortalece.quizzes.core.errors import FormatError
from fortalece.quizzes.core.questions import QTYPE_LABELS, QType
from fortalece.quizzes.forms import ImportForm, QuestionForm, QuizSettingsForm
from fortalece.quizzes.models import Quiz
from fortalece.quizzes.policies import (
    attempt_policy,
    bank_policy,
    category_policy,
    question_policy,
    quiz_policy,
)
from fortalece.quizzes.services import attempts as attempt_services
from fortalece.quizzes.services import bank as bank_services
from fortalece.training.models import Course

QTYPES = [(str(t), _l) for t, _l in QTYPE_LABELS.items()]


def _course(request: HttpRequest, course_id: int) -> Course:
    return bank_policy.get_for_user(user=request.user, pk=course_id, action="change")


@login_required
def bank(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course(request, course_id)
    categories, questions = selectors.bank(course)
    quiz_items = CourseItem.objects.filter(
        module__course=course, kind=CourseItem.Kind.QUIZ
    ).order_by("module__position", "position", "id")
    return render(
        request,
        "quizzes/bank.html",
        {
            "course": course,
            "categories": categories,
            "questions": questions,
            "qtypes": [(value, _(label)) for value, label in QTYPES],
            "quiz_items": quiz_items,
            # Results of the quizzes whose attempts the user may see (a quiz never set up has
            # none): no link that would answer 404.
            "with_results": set(
                quiz_policy.instances_user_has_permission_for(request.user, "results")
                .filter(item__module__course=course)
                .values_list("item_id", flat=True)
            ),
        },
    )


def _question_form(request: HttpRequest, course: Course, qtype: QType, instance=None):  # type: ignore[no-untyped-def]
    data: Any = request.POST if request.method == "POST" else None
    if data is not None and "more" in data:
        data = data.copy()
        rows = query_int(data.get("rows") or "6")
        data["rows"] = str((6 if rows is None else rows) + 3)
        form = QuestionForm(data, course=course, qtype=qtype, instance=instance)
        form.errors.clear()  # adding rows is not a save
        return form, False
    form = QuestionForm(data, course=course, qtype=qtype, instance=instance)
    return form, data is not None and form.is_valid()


def _save_question(request: HttpRequest, course: Course, form: QuestionForm, instance=None):  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    category: Any = data.get("category")
    if data.get("new_category", "").strip():
        category = bank_services.category_get_or_create(course=course, name=data["new_category"])
    try:
        return bank_services.question_save(
            course=course,
            category=category,
            question=form.core,
            mark=data["mark"],
            impact_item=data.get("impact_item", "").strip(),
            instance=instance,
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, course_id: int, qtype: str) -> HttpResponse:
    course = _course(request, course_id)
    try:
        kind = QType(qtype)
    except ValueError as error:
        raise Http404 from error
    form, valid = _question_form(request, course, kind)
    if valid and _save_question(request, course, form):
        messages.success(request, _("Question saved."))
        if "another" in request.POST:
            return redirect("quizzes:question_add", course_id=course.pk, qtype=kind)
        return redirect("quizzes:bank", course_id=course.pk)
    return render(
        request,
        "quizzes/question_form.html",
        {"course": course, "form": form, "qtype_label": _(QTYPE_LABELS[kind]), "adding": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_policy.get_for_user(user=request.user, pk=pk, action="change")
    course = question.course
    kind = QType(question.qtype)
    form, valid = _question_form(request, course, kind, instance=question)
    saved = _save_question(request, course, form, instance=question) if valid else None
    if saved is not None:
        if saved.pk != question.pk:
            messages.success(
                request,
                _(
                    "Question saved as a new version: learners who answered it keep the "
                    "earlier one in their attempts; new attempts use this one."
                ),
            )
        else:
            messages.success(request, _("Question saved."))
        return redirect("quizzes:bank", course_id=course.pk)
    return render(
        request,
        "quizzes/question_form.html",
        {
            "course": course,
            "form": form,
            "qtype_label": _(QTYPE_LABELS[kind]),
            "question": question,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_policy.get_for_user(user=request.user, pk=pk, action="change")
    cancel = reverse("quizzes:bank", kwargs={"course_id": question.course_id})
    if request.method == "POST":
        if bank_services.question_delete(question=question):
            messages.success(
                request,
                _(
                    "Learners have answered this question: it leaves the bank and new "
                    "attempts, and stays in their attempts so they can be reviewed."
                ),
            )
        else:
            messages.success(request, _("Question deleted."))
        return redirect(cancel)
    return render(request, "core/confirm_delete.html", {"object": question, "cancel_url": cancel})


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = category_policy.get_for_user(user=request.user, pk=pk, action="change")
    error = ""
    if request.method == "POST":
        try:
            bank_services.category_rename(category=category, name=request.POST.get("name", ""))
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, _("Category renamed."))
            return redirect("quizzes:bank", course_id=category.course_id)
    return render(
        request,
        "quizzes/category_form.html",
        {"category": category, "course": category.course, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_questions(request: HttpRequest, course_id: int) -> HttpResponse:
    course = _course(request, course_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["fmt"]
        try:
            parsed = bank_services.read_bank(form.cleaned_data["content"], fmt)
        except FormatError as problem:
            errors = [(e.line, e.render(_)) for e in problem.errors[:200]]
        else:
            if not parsed:
                form.add_error(None, _("The file holds no questions."))
            else:
                saved = bank_services.questions_import(
                    course=course,
                    questions=parsed,
                    default_category=form.cleaned_data.get("category", ""),
                )
                messages.success(
                    request,
                    _("%(count)s questions imported.") % {"count": len(saved)},
                )
                return redirect("quizzes:bank", course_id=course.pk)
    return render(
        request, "quizzes/import.html", {"course": course, "form": form, "line_errors": errors}
    )


@login_required
def export_questions(request: HttpRequest, course_id: int, fmt: str) -> HttpResponse:
    course = _course(request, course_id)
    if fmt not in bank_services.FORMATS:
        raise Http404
    text, skipped = bank_services.questions_export(course=course, fmt=fmt)
    if request.GET.get("download"):
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        name = f"{slugify(course.title)[:60] or 'questions'}-{fmt}.txt"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "quizzes/export.html",
        {
            "course": course,
            "fmt": fmt,
            "count": text.count("\n\n") + 1 if text else 0,
            "skipped": [(s.title or f"#{s.index + 1}", s.render(_)) for s in skipped],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quiz_settings(request: HttpRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(
        CourseItem.objects.select_related("module__course"), pk=item_id, kind=CourseItem.Kind.QUIZ
    )
    course = _course(request, item.module.course_id)
    quiz = attempt_services.quiz_for_item(item=item)
    categories, _questions = selectors.bank(course)
    draws = {d.category_id: d.count for d in quiz.draws.all()}
    form = QuizSettingsForm(request.POST or None, instance=quiz, categories=categories, draws=draws)
    # On GET the form is unbound, so not valid: nothing is saved.
    saved = call_service(
        form, lambda data: attempt_services.quiz_settings_save(form=form, draws=form.draws())
    )
    if saved is not None:
        problems = attempt_services.evaluation_problems(saved)
        for problem in problems:
            messages.warning(request, problem)
        messages.success(request, _("Quiz settings saved."))
        return redirect("quizzes:settings", item_id=item.pk)
    return render(
        request,
        "quizzes/quiz_settings.html",
        {
            "item": item,
            "quiz": quiz,
            "course": course,
            "form": form,
            # An author who trains no cohort of the course sees no attempts: no link to them.
            "can_see_results": quiz_policy.user_has_permission_for_instance(
                request.user, "results", quiz
            ),
        },
    )


@login_required
def quiz_results(request: HttpRequest, item_id: int) -> HttpResponse:
    quiz = quiz_policy.get_for_user(
        user=request.user,
        pk=_quiz_pk(item_id),
        action="results",
    )
    visible = attempt_policy.instances_user_has_permission_for(request.user, "view")
    if not quiz_policy.user_has_permission_for_instance(request.user, "results", quiz):
        raise PermissionDenied
    rows = selectors.quiz_results(quiz, visible.filter(submitted_at__isnull=False))
    return render(request, "quizzes/results.html", {"quiz": quiz, "item": quiz.item, "rows": rows})


def _quiz_pk(item_id: int) -> int:
    pk = Quiz.objects.filter(item_id=item_id).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404
    return pk
