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
