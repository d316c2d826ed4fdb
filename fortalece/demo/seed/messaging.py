"""Demo: announcements, a cohort discussion, a direct conversation, lesson comments (with a
trainer's reply and a report) and the demo learner's bell, around the demo learner's first
online cohort. Rows are written directly: the demo sends no e-mail.

Idempotent: nothing is added once an announcement exists.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fortalece.accounts.models import User
from fortalece.learning import richtext
from fortalece.learning.models import CourseItem
from fortalece.messaging.models import (
    Announcement,
    Comment,
    CommentReport,
    Kind,
    Message,
    Notification,
    Thread,
    ThreadMember,
)
from fortalece.messaging.services import display_name
from fortalece.training.models import Enrolment, WorkshopTrainer


def _trainer(workshop: Any) -> User | None:
    row = (
        WorkshopTrainer.objects.filter(workshop=workshop, person__user__isnull=False)
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    return row.person.user if row else None


@transaction.atomic
def seed(say: Any = print) -> bool:
    if Announcement.objects.exists():
        return False
    learner = User.objects.filter(email="learner@demo.fortalece.org").first()
    manager = User.objects.filter(email="manager@demo.fortalece.org").first()
    if learner is None or manager is None:
        return False
    enrolment = (
        Enrolment.objects.filter(
            person__user=learner, workshop__course__learning_modules__items__kind="lesson"
        )
        .exclude(status=Enrolment.Status.DROPPED)
        .select_related("workshop__course")
        .order_by("pk")
        .first()
    )
    if enrolment is None:
        return False
    workshop, course = enrolment.workshop, enrolment.workshop.course
    trainer = _trainer(workshop) or manager
    now = timezone.now()
    cohort_news = Announcement.objects.create(
        workshop=workshop,
        author=trainer,
        title="Sesión de dudas en línea el jueves",
        body=richtext.sanitise(
            "<p>El jueves a las 18:00 resolvemos dudas del módulo 2 por videollamada. "
            "El enlace llega por este medio una hora antes.</p>"
        ),
    )
    course_news = Announcement.objects.create(
        course=course,
        author=manager,
        title="Nuevo material descargable",
        body=richtext.sanitise(
            "<p>Añadimos la guía de primer contacto en PDF. Puede guardarla en el teléfono "
            "para leerla sin conexión.</p>"
        ),
    )
    classmates = list(
        User.objects.filter(person__enrolments__workshop=workshop, is_active=True).exclude(
            pk=learner.pk
        )[:3]
    )
    for announcement in (cohort_news, course_news):
        people = [learner, *classmates]
        announcement.recipient_count = len(people)
        announcement.save(update_fields=["recipient_count"])
    # The cohort's discussion, and a direct conversation with the trainer.
    discussion = Thread.objects.create(
        kind=Thread.Kind.COHORT, workshop=workshop, created_by=trainer, last_message_at=now
    )
    Message.objects.create(
        thread=discussion,
        author=trainer,
        body="Bienvenidas y bienvenidos. Aquí pueden compartir dudas del curso con la cohorte.",
    )
    Message.objects.create(
        thread=discussion,
        author=learner,
        body="Gracias. ¿El cuestionario final se puede contestar sin conexión?",
    )
    direct = None
    if trainer != manager:
        direct = Thread.objects.create(
            kind=Thread.Kind.DIRECT, workshop=workshop, created_by=learner, last_message_at=now
        )
        ThreadMember.objects.bulk_create(
            [
                ThreadMember(thread=direct, user=learner, last_read_at=now),
                ThreadMember(thread=direct, user=trainer),
            ]
        )
        Message.objects.create(
            thread=direct,
            author=learner,
            body="Buenas tardes. Tengo turno el viernes; ¿puedo entregar el trabajo el lunes?",
        )
        Message.objects.create(
            thread=direct, author=trainer, body="Sí, sin problema. Gracias por avisar."
        )
    # Comments on the first lesson, in the learner's cohort.
    lesson = (
        CourseItem.objects.filter(module__course=course, kind=CourseItem.Kind.LESSON)
        .order_by("module__position", "position", "pk")
        .first()
    )
    if lesson is not None:
        question = Comment.objects.create(
            item=lesson,
            workshop=workshop,
            author=learner,
            body="¿La guía de primer contacto aplica también en agencias municipales?",
        )
        Comment.objects.create(
            item=lesson,
            workshop=workshop,
            author=trainer,
            parent=question,
            body="Sí: el protocolo es estatal y obliga también a las policías municipales.",
        )
        if classmates:
            other = Comment.objects.create(
                item=lesson,
                workshop=workshop,
                author=classmates[0],
                body="Vendo cursos baratos, escríbanme por WhatsApp.",
            )
            CommentReport.objects.create(comment=other, reporter=learner, reason="Publicidad")
    # The demo learner's bell.
    bell = [
        Notification(
            recipient=learner,
            kind=Kind.ANNOUNCEMENT,
            text=f"Anuncio: {cohort_news.title}",
            url=reverse("messaging:announcement", kwargs={"pk": cohort_news.pk}),
        ),
        Notification(
            recipient=learner,
            kind=Kind.ANNOUNCEMENT,
            text=f"Anuncio: {course_news.title}",
            url=reverse("messaging:announcement", kwargs={"pk": course_news.pk}),
            read_at=now - datetime.timedelta(days=1),
        ),
    ]
    if direct is not None:
        bell.append(
            Notification(
                recipient=learner,
                kind=Kind.MESSAGE,
                text=f"Nuevo mensaje de {display_name(trainer)}",
                url=reverse("messaging:thread", kwargs={"pk": direct.pk}),
            )
        )
    Notification.objects.bulk_create(bell)
    say("  messaging: 2 announcements, messages, lesson comments and notifications")
    return True
