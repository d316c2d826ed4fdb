from django.urls import path

from fortalece.accounts import views_mfa

app_name = "mfa"
urlpatterns = [
    path("setup/", views_mfa.MFASetupView.as_view(), name="setup"),
    path("code/", views_mfa.MFAVerifyView.as_view(), name="verify"),
    path("recovery-codes/", views_mfa.MFARecoveryCodesView.as_view(), name="recovery_codes"),
]
