from django.urls import path

from fortalece.privacy import views

app_name = "privacy"
urlpatterns = [
    path("people/<int:pk>/", views.PersonPrivacyView.as_view(), name="person"),
    path(
        "people/<int:pk>/export.<str:fmt>",
        views.PersonExportView.as_view(),
        name="person_export",
    ),
    path("people/<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
]

# Pages of the people: namespace (fortalece/urls.py adds them there): deleting and merging a
# person rewrite the rows of apps above people, so their views live here.
people_urlpatterns = [
    path("<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("<int:pk>/merge/<int:other>/", views.PersonMergeView.as_view(), name="person_merge"),
]
