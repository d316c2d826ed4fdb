import pytest

from fortalece.accounts.models import Role
from fortalece.core.testing import make_user
from fortalece.learning.models import CourseItem
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Course, Enrolment
from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory


@pytest.fixture
def online(world):
    """The world's course made online: a module with a lesson (with a file), a quiz and an
    optional lesson; a second cohort with its own trainer and learner."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fortalece.learning.services import content

    course = world.course
    course.modality = Course.Modality.ONLINE
    course.save()
    module = CourseModuleFactory(course=course, title="Primer contacto")
    lesson = CourseItemFactory(module=module, title="Lección 1", body="<p>Hola</p>")
    quiz = CourseItemFactory(module=module, kind=CourseItem.Kind.QUIZ, title="Cuestionario")
    optional = CourseItemFactory(module=module, required=False, title="Lectura extra")
    resource = content.resource_add(
        item=lesson,
        upload=SimpleUploadedFile("guia.pdf", b"%PDF-1.4 guia", content_type="application/pdf"),
        title="Guía",
    )
    other_cohort = WorkshopFactory(course=course, country=world.mexico, title="Cohorte 2")
    other_learner_person = PersonFactory(institution=world.institution)
    other_enrolment = EnrolmentFactory(
        workshop=other_cohort, person=other_learner_person, status=Enrolment.Status.ENROLLED
    )
    other_trainer_person = PersonFactory(institution=world.institution)
    from fortalece.training.models import WorkshopTrainer

    WorkshopTrainer.objects.create(workshop=other_cohort, person=other_trainer_person)
    world.users["other_trainer"] = make_user(
        Role.TRAINER, programme=world.programme, person=other_trainer_person
    )
    world.users["other_learner"] = make_user(Role.LEARNER, person=other_learner_person)
    world.module = module
    world.lesson = lesson
    world.quiz = quiz
    world.optional = optional
    world.resource = resource
    world.other_cohort = other_cohort
    world.other_enrolment = other_enrolment
    return world
