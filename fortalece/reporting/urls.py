from django.urls import path

from fortalece.reporting import views, views_coverage, views_results, views_saved

app_name = "reporting"
urlpatterns = [
    path("indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("programmes/<int:pk>/iati.xml", views.IatiActivityView.as_view(), name="iati"),
    path("indicators/map/", views.MapView.as_view(), name="map"),
    path("indicators/narrative/", views.NarrativeView.as_view(), name="narrative"),
    path("indicators/export/", views.IndicatorExportView.as_view(), name="indicators_export"),
    path("indicators/report.pdf", views_saved.IndicatorPdfView.as_view(), name="indicators_pdf"),
    path("programmes/<int:pk>/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "programmes/<int:pk>/export/", views.DashboardExportView.as_view(), name="dashboard_export"
    ),
    path(
        "programmes/<int:pk>/figures/",
        views_results.ReportedFiguresView.as_view(),
        name="reported_figures",
    ),
    path(
        "programmes/<int:pk>/results/",
        views_results.ResultsFrameworkView.as_view(),
        name="results_framework",
    ),
    path("coverage/", views_coverage.CoverageView.as_view(), name="coverage"),
    path("coverage/headcounts/", views_coverage.HeadcountView.as_view(), name="headcounts"),
    path("coverage/refresher/", views_coverage.RefresherView.as_view(), name="refresher"),
    path("saved/", views_saved.SavedReportListView.as_view(), name="saved_list"),
    path("saved/<str:token>/", views_saved.SavedReportOpenView.as_view(), name="saved_open"),
    path("saved/<str:token>/edit/", views_saved.SavedReportEditView.as_view(), name="saved_edit"),
]
