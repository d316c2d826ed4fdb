from django.urls import path

from fortalece.geography import views

app_name = "geography"
urlpatterns = [
    path("", views.CountryListView.as_view(), name="country_list"),
    path("options/subdivisions/", views.subdivision_options, name="subdivision_options"),
    path("options/municipalities/", views.municipality_options, name="municipality_options"),
    path("states/<int:pk>/", views.SubdivisionDetailView.as_view(), name="subdivision_detail"),
    path(
        "states/<int:pk>/municipalities/new/",
        views.MunicipalityCreateView.as_view(),
        name="municipality_create",
    ),
    path("<str:code>/", views.CountryDetailView.as_view(), name="country_detail"),
]
