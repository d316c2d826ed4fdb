from django.urls import path

from fortalece.reporting import views

app_name = "reporting"
urlpatterns = [
    path("indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("programmes/<int:pk>/iati.xml", views.IatiActivityView.as_view(), name="iati"),
    path("indicators/map/", views.MapView.as_view(), name="map"),
    path("indicators/narrative/", views.NarrativeView.as_view(), name="narrative"),
    path("indicators/export/", views.IndicatorExportView.as_view(), name="indicators_export"),
    path("programmes/<int:pk>/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "programmes/<int:pk>/export/", views.DashboardExportView.as_view(), name="dashboard_export"
    ),
]
