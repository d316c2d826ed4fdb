from django.urls import path

from fortalece.training.views import courses, participants, rollout, workshops

app_name = "training"
# A workshop's survey links (training:workshop_surveys) are served by impact, above training;
# fortalece/urls.py adds impact.urls.training_urlpatterns here.
urlpatterns = [
    path("courses/", courses.CourseListView.as_view(), name="course_list"),
    path("courses/new/", courses.CourseCreateView.as_view(), name="course_create"),
    path("courses/<int:pk>/", courses.CourseDetailView.as_view(), name="course_detail"),
    path("courses/<int:pk>/edit/", courses.CourseUpdateView.as_view(), name="course_update"),
    path("courses/<int:pk>/delete/", courses.CourseDeleteView.as_view(), name="course_delete"),
    path("workshops/", workshops.WorkshopListView.as_view(), name="workshop_list"),
    path("workshops/new/", workshops.WorkshopCreateView.as_view(), name="workshop_create"),
    path("workshops/record/", rollout.WorkshopRecordView.as_view(), name="workshop_record"),
    path("workshops/validation/", rollout.ValidationQueueView.as_view(), name="validation_queue"),
    path("workshops/<int:pk>/", workshops.WorkshopDetailView.as_view(), name="workshop_detail"),
    path(
        "workshops/<int:pk>/edit/", workshops.WorkshopUpdateView.as_view(), name="workshop_update"
    ),
    path(
        "workshops/<int:pk>/delete/", workshops.WorkshopDeleteView.as_view(), name="workshop_delete"
    ),
    path(
        "workshops/<int:pk>/sessions/new/",
        workshops.SessionCreateView.as_view(),
        name="session_create",
    ),
    path(
        "workshops/<int:pk>/sessions/<int:session_pk>/edit/",
        workshops.SessionUpdateView.as_view(),
        name="session_update",
    ),
    path(
        "workshops/<int:pk>/sessions/<int:session_pk>/delete/",
        workshops.SessionDeleteView.as_view(),
        name="session_delete",
    ),
    path(
        "workshops/<int:pk>/sessions/<int:session_pk>/attendance/",
        participants.AttendanceView.as_view(),
        name="session_attendance",
    ),
    path(
        "workshops/<int:pk>/trainers/", workshops.TrainersView.as_view(), name="workshop_trainers"
    ),
    path("workshops/<int:pk>/enrol/", participants.EnrolView.as_view(), name="workshop_enrol"),
    path(
        "workshops/<int:pk>/people/", participants.PersonSearchView.as_view(), name="person_search"
    ),
    path(
        "workshops/<int:pk>/enrolments/<int:enrolment_pk>/",
        participants.EnrolmentStatusView.as_view(),
        name="enrolment_status",
    ),
    path(
        "workshops/<int:pk>/nominate/",
        participants.NominateView.as_view(),
        name="workshop_nominate",
    ),
    path("mine/", participants.MyTrainingView.as_view(), name="my_training"),
]
