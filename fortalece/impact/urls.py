from django.urls import path

from fortalece.impact.views import instruments, planning, studies, surveys, workshops

app_name = "impact"
urlpatterns = [
    path("", studies.StudyListView.as_view(), name="study_list"),
    path("studies/new/", studies.StudyCreateView.as_view(), name="study_create"),
    path("plan/", planning.PlanView.as_view(), name="plan"),
    path("studies/<int:pk>/", studies.StudyDetailView.as_view(), name="study_detail"),
    path("studies/<int:pk>/run/", studies.StudyRunView.as_view(), name="study_run"),
    path(
        "studies/<int:pk>/download/<str:fmt>/",
        studies.StudyDownloadView.as_view(),
        name="study_download",
    ),
    path("instruments/new/", instruments.InstrumentUploadView.as_view(), name="instrument_upload"),
    path(
        "instruments/<int:pk>/",
        instruments.InstrumentDetailView.as_view(),
        name="instrument_detail",
    ),
    path(
        "instruments/<int:pk>/xlsform/",
        instruments.InstrumentDownloadView.as_view(),
        name="instrument_download",
    ),
    path("instruments/<int:pk>/links/", surveys.SurveyLinksView.as_view(), name="links"),
    path("instruments/build/", instruments.InstrumentBlankView.as_view(), name="instrument_blank"),
    path(
        "instruments/<int:pk>/build/",
        instruments.InstrumentBuildView.as_view(),
        name="instrument_build",
    ),
    # Public: people answer without an account.
    path("s/<str:token>/", surveys.SurveyView.as_view(), name="survey"),
    path("s/<str:token>/qr/", surveys.SurveyQrView.as_view(), name="survey_qr"),
]

# Pages of the training: namespace (fortalece/urls.py adds them there): a workshop's survey
# links work with impact's instruments, which training may not import.
training_urlpatterns = [
    path(
        "workshops/<int:pk>/surveys/",
        workshops.WorkshopSurveyLinksView.as_view(),
        name="workshop_surveys",
    ),
]
