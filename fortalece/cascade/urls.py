from django.urls import path

from fortalece.cascade import views

app_name = "cascade"
urlpatterns = [
    path("programmes/<int:pk>/", views.ProgrammeCascadeView.as_view(), name="programme"),
    path("programmes/<int:pk>/rules/new/", views.RuleCreateView.as_view(), name="rule_create"),
    path("trainers/<int:pk>/", views.TrainerCascadeView.as_view(), name="trainer"),
    path(
        "trainers/<int:pk>/children/", views.TrainerChildrenView.as_view(), name="trainer_children"
    ),
    path("trainers/<int:pk>/awards/new/", views.AwardCreateView.as_view(), name="award_create"),
    path("rules/<int:pk>/", views.RuleView.as_view(), name="rule"),
    path("rules/<int:pk>/grant/", views.GrantView.as_view(), name="grant"),
    path("rules/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path(
        "rules/<int:pk>/assessments/<int:person_pk>/",
        views.AssessmentView.as_view(),
        name="assessment",
    ),
    path(
        "rules/<int:pk>/accreditations/<int:accreditation_pk>/",
        views.AccreditationHistoryView.as_view(),
        name="history",
    ),
]
