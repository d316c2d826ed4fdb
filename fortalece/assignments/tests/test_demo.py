from fortalece.assignments.models import Assignment, GradeOverride, Submission
from fortalece.demo.seed import assignments as demo
from fortalece.learning.models import CourseItem
from fortalece.learning.services import item_record_result
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Enrolment, WorkshopTrainer
from fortalece.training.tests.factories import EnrolmentFactory


def test_demo_adds_an_assignment_with_rubric_and_work_at_each_stage_once(world):
    world.programme.code = demo.PROGRAMME
    world.programme.save()
    world.course.modality = "online"
    world.course.save()
    module = CourseModuleFactory(course=world.course)
    lesson = CourseItemFactory(module=module)
    done = EnrolmentFactory(workshop=world.workshop, person=PersonFactory())
    item_record_result(enrolment=done, item=lesson, completed=True)  # completes the course
    half = world.enrolment
    CourseItemFactory(module=module)  # a second lesson keeps `half` half-way
    item_record_result(enrolment=half, item=lesson, completed=True)
    EnrolmentFactory(workshop=world.workshop, person=PersonFactory())  # not started
    done.refresh_from_db()
    assert done.status == Enrolment.Status.COMPLETED
    assert WorkshopTrainer.objects.filter(workshop=world.workshop).exists()

    assert demo.seed(say=lambda *_: None)
    assignment = Assignment.objects.get(item__module__course=world.course)
    assert assignment.item.kind == CourseItem.Kind.ASSIGNMENT
    assert assignment.rubric.criteria.count() == 4
    assert "<h2>" in assignment.instructions
    by_enrolment = {s.enrolment_id: s for s in Submission.objects.select_related("grade")}
    assert set(by_enrolment) == {done.pk, half.pk}
    assert by_enrolment[done.pk].grade.passed
    assert GradeOverride.objects.filter(enrolment=done).exists()
    assert not demo.seed(say=lambda *_: None)  # idempotent
    assert Submission.objects.count() == 2
