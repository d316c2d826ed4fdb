from django.urls import path

from fortalece.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.StudyListView.as_view(), name="study_list"),
    path("studies/new/", views.StudyCreateView.as_view(), name="study_create"),
    path("plan/", views.PlanView.as_view(), name="plan"),
    path("studies/<int:pk>/", views.StudyDetailView.as_view(), name="study_detail"),
    path("studies/<int:pk>/run/", views.StudyRunView.as_view(), name="study_run"),
    path(
        "studies/<int:pk>/download/<str:fmt>/",
        views.StudyDownloadView.as_view(),
        name="study_download",
    ),
    path("instruments/new/", views.InstrumentUploadView.as_view(), name="instrument_upload"),
    path("instruments/<int:pk>/", views.InstrumentDetailView.as_view(), name="instrument_detail"),
    path(
        "instruments/<int:pk>/xlsform/",
        views.InstrumentDownloadView.as_view(),
        name="instrument_download",
    ),
    path("instruments/<int:pk>/links/", views.SurveyLinksView.as_view(), name="links"),
    path("instruments/build/", views.InstrumentBlankView.as_view(), name="instrument_blank"),
    path(
        "instruments/<int:pk>/build/", views.InstrumentBuildView.as_view(), name="instrument_build"
    ),
    # Public: people answer without an account.
    path("s/<str:token>/", views.SurveyView.as_view(), name="survey"),
    path("s/<str:token>/qr/", views.SurveyQrView.as_view(), name="survey_qr"),
]
