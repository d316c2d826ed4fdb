from django.urls import path

from fortalece.assignments.views import gradebook, learner, staff

app_name = "assignments"

urlpatterns = [
    path("<int:pk>/", learner.assignment_detail, name="detail"),
    path("<int:pk>/submit/", learner.assignment_submit, name="submit"),
    path("files/<int:pk>/", learner.submission_file, name="file"),
    path("item/<int:item_pk>/setup/", staff.assignment_setup, name="setup"),
    path("course/<int:course_pk>/rubrics/", staff.rubric_list, name="rubric_list"),
    path("course/<int:course_pk>/rubrics/new/", staff.rubric_edit, name="rubric_create"),
    path("course/<int:course_pk>/rubrics/<int:pk>/", staff.rubric_edit, name="rubric_edit"),
    path("queue/", staff.grading_queue_view, name="queue"),
    path("submissions/<int:pk>/grade/", staff.submission_grade, name="grade"),
    path("gradebook/<int:course_pk>/", gradebook.gradebook, name="gradebook"),
    path("gradebook/<int:course_pk>/export/", gradebook.gradebook_export, name="gradebook_export"),
    path("gradebook/<int:course_pk>/weights/", gradebook.gradebook_weights, name="weights"),
    path(
        "gradebook/<int:course_pk>/override/<int:enrolment_pk>/<int:item_pk>/",
        gradebook.gradebook_override,
        name="override",
    ),
]
