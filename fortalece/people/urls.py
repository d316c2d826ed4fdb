from django.urls import path

from fortalece.people import views

app_name = "people"
# Deleting and merging a person are people: pages served by privacy, which sits above the apps
# whose rows they rewrite; fortalece/urls.py adds privacy.urls.people_urlpatterns here.
urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("<int:pk>/duplicates/", views.PersonDuplicatesView.as_view(), name="person_duplicates"),
    path("institutions/", views.InstitutionListView.as_view(), name="institution_list"),
    path("institutions/new/", views.InstitutionCreateView.as_view(), name="institution_create"),
    path(
        "institutions/<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"
    ),
    path(
        "institutions/<int:pk>/edit/",
        views.InstitutionUpdateView.as_view(),
        name="institution_update",
    ),
    path(
        "institutions/<int:pk>/delete/",
        views.InstitutionDeleteView.as_view(),
        name="institution_delete",
    ),
]
