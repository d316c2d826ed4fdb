"""Demo: a final assignment with a rubric for each of the four Spotlight online diplomas that
``seed/learning.py`` builds, and the cohort's work at different stages: learners who
completed the course handed in and passed; half-way learners either wait for a grade (the
trainer's queue) or were asked to improve it and may resubmit (the demo learner among them);
learners who have not started have nothing. One grade is overridden in the gradebook, with
its reason.

Idempotent: a course that already has an assignment is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from fortalece.assignments.core.rubric_text import parse_rubric
from fortalece.assignments.models import Assignment
from fortalece.assignments.services import (
    assignment_save,
    grade_override,
    rubric_save,
    submission_create,
    submission_grade,
)
from fortalece.learning.models import CourseItem, CourseModule, ItemProgress
from fortalece.training.models import Course, Enrolment

PROGRAMME = "mx-spotlight-ibero-2021"

RUBRIC = """\
Identifica los hechos y el riesgo | Completo y preciso = 4 | Parcial = 2 | Insuficiente = 0
Aplica el marco legal y los protocolos | Correcto y justificado = 4 | Con omisiones = 2 | No lo aplica = 0
Propone acciones centradas en la víctima | Claras y viables = 4 | Generales = 2 | Revictimizantes = 0
Redacción y estructura | Clara = 2 | Mejorable = 1 | Confusa = 0"""

INSTRUCTIONS = (
    "<h2>Análisis de un caso</h2>"
    "<p>Elija un caso que haya atendido en su institución (sin datos que identifiquen a nadie) "
    "o el caso de ejemplo del módulo 2, y escriba un análisis de una o dos páginas:</p>"
    "<ol><li>Los hechos y la valoración del riesgo.</li>"
    "<li>El marco legal y los protocolos que aplican.</li>"
    "<li>Las acciones que propone, centradas en la víctima.</li></ol>"
    "<p>Puede escribir su respuesta aquí o adjuntar un archivo PDF, Word u OpenDocument.</p>"
)

ANSWER = (
    "La víctima acude a la agencia tras una agresión física de su pareja. Valoré el riesgo como "
    "alto (amenazas de muerte, acceso a armas). Apliqué el protocolo de primer contacto: "
    "entrevista en privado, información de derechos y canalización al Centro de Justicia para "
    "las Mujeres; solicité medidas de protección al ministerio público."
)


def _levels(rubric: Any, names: list[str]) -> dict[int, int]:
    chosen = {}
    for criterion, position in zip(rubric.criteria.order_by("position"), names, strict=True):
        level = criterion.levels.order_by("position")[int(position)]
        chosen[criterion.pk] = level.pk
    return chosen


@transaction.atomic
def seed(say: Any = print) -> bool:
    courses = list(
        Course.objects.filter(programme__code=PROGRAMME, modality__in=("online", "blended"))
        .exclude(pk__in=Assignment.objects.values("item__module__course_id"))
        .order_by("title")
    )
    made = graded = waiting = 0
    now = timezone.now()
    for course in courses:
        module = CourseModule.objects.filter(course=course).order_by("-position").first()
        if module is None:
            continue  # the online content is not built (seed/learning.py) yet
        last = module.items.order_by("-position").first()
        item = CourseItem.objects.create(
            module=module,
            kind=CourseItem.Kind.ASSIGNMENT,
            title="Trabajo final: análisis de un caso",
            title_en="Final assignment: a case analysis",
            position=(last.position + 1) if last else 1,
            duration_minutes=90,
            required=True,
        )
        rubric = rubric_save(
            course=course,
            rubric=None,
            title="Rúbrica del análisis de caso",
            criteria=parse_rubric(RUBRIC),
        )
        assignment = assignment_save(
            assignment=Assignment(
                item=item,
                instructions=INSTRUCTIONS,
                due_at=now + datetime.timedelta(days=21),
                late_policy=Assignment.LatePolicy.PENALTY,
                late_penalty_per_day=Decimal(5),
                late_refuse_after_days=7,
                grading=Assignment.Grading.RUBRIC,
                rubric=rubric,
                pass_percent=Decimal(60),
                allow_resubmission=True,
                max_files=2,
                max_file_mb=10,
                file_types=["pdf", "docx", "odt", "txt"],
            )
        )
        made += 1
        enrolments = list(
            Enrolment.objects.filter(workshop__course=course)
            .select_related("workshop", "person__user")
            .order_by("pk")
        )
        trainer = None
        for enrolment in enrolments:
            link = enrolment.workshop.workshoptrainer_set.select_related("person__user").first()
            trainer = link.person.user if link and link.person.user_id else trainer
        for index, enrolment in enumerate(enrolments):
            completed = enrolment.status == Enrolment.Status.COMPLETED
            half_way = ItemProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).exists()
            if not (completed or half_way):
                continue  # not started
            user = enrolment.person.user
            demo_learner = bool(user and user.email == "learner@demo.fortalece.org")
            files = []
            if index % 2 == 0:
                files = [SimpleUploadedFile("analisis-del-caso.txt", ANSWER.encode())]
            submission = submission_create(
                assignment=assignment,
                enrolment=enrolment,
                text="" if files else ANSWER,
                files=files,
                by=user,
                now=now - datetime.timedelta(days=2),
            )
            if completed:
                submission_grade(
                    submission=submission,
                    by=trainer,
                    selections=_levels(rubric, ["0", "0", "1", "0"]),
                    feedback="Muy buen análisis del riesgo. Detalle más la canalización.",
                )
                graded += 1
            elif demo_learner or index % 2 == 0:
                submission_grade(
                    submission=submission,
                    by=trainer,
                    selections=_levels(rubric, ["1", "2", "1", "1"]),
                    feedback=(
                        "Falta el marco legal: cite la Ley General de Acceso y el protocolo de "
                        "su institución. Puede entregar una nueva versión."
                    ),
                    allow_resubmission=True,
                )
                graded += 1
            else:
                waiting += 1
        graded_enrolment = next(
            (e for e in enrolments if e.status == Enrolment.Status.COMPLETED), None
        )
        if graded_enrolment is not None and trainer is not None:
            grade_override(
                enrolment=graded_enrolment,
                item=item,
                new_score=Decimal(95),
                reason="Entregó el anexo con el plan de seguridad por correo; revisado en tutoría.",
                by=trainer,
            )
    if made:
        say(
            f"  assignments: {made} final assignments with a rubric, {graded} graded, "
            f"{waiting} waiting for a grade"
        )
    return bool(made)
