from django.urls import path

from fortalece.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="list"),
    path("new/", views.ProgrammeCreateView.as_view(), name="create"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("<int:pk>/", views.ProgrammeDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="update"),
    path("<int:pk>/delete/", views.ProgrammeDeleteView.as_view(), name="delete"),
    path("<int:pk>/targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path(
        "<int:pk>/targets/<int:target_pk>/edit/",
        views.TargetUpdateView.as_view(),
        name="target_update",
    ),
    path(
        "<int:pk>/targets/<int:target_pk>/delete/",
        views.TargetDeleteView.as_view(),
        name="target_delete",
    ),
]
