from django.urls import path

from fortalece.credentials import views

app_name = "credentials"
urlpatterns = [
    # Public
    path("verify/", views.VerifyFormView.as_view(), name="verify_form"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("badges/issuer.json", views.issuer_json, name="issuer"),
    path("badges/courses/<int:pk>.json", views.badge_class_json, name="badge_class"),
    path("badges/courses/<int:pk>/image.svg", views.badge_image, name="badge_image"),
    path("badges/assertions/<str:code>.json", views.assertion_json, name="assertion"),
    # Signed in
    path("certificates/mine/", views.MyCertificatesView.as_view(), name="mine"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="pdf"),
    path("certificates/<int:pk>/badge/", views.BadgeDownloadView.as_view(), name="badge"),
    path("certificates/<int:pk>/revoke/", views.CertificateRevokeView.as_view(), name="revoke"),
    path(
        "certificates/workshops/<int:pk>/",
        views.WorkshopCertificatesView.as_view(),
        name="workshop",
    ),
]
