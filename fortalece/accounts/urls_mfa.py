from django.urls import path

from fortalece.accounts import views_mfa

app_name = "mfa"
urlpatterns = [
    path("setup/", views_mfa.MFASetupView.as_view(), name="setup"),
    path("code/", views_mfa.MFAVerifyView.as_view(), name="verify"),
    path("recovery-codes/", views_mfa.MFARecoveryCodesView.as_view(), name="recovery_codes"),
    path("passkeys/", views_mfa.MFAPasskeysView.as_view(), name="passkeys"),
    path(
        "passkeys/new/options/",
        views_mfa.PasskeyRegisterOptionsView.as_view(),
        name="passkey_register_options",
    ),
    path("passkeys/new/", views_mfa.PasskeyRegisterView.as_view(), name="passkey_register"),
    path("passkeys/options/", views_mfa.PasskeyOptionsView.as_view(), name="passkey_options"),
    path("passkeys/verify/", views_mfa.PasskeyVerifyView.as_view(), name="passkey_verify"),
    path("passkeys/<int:pk>/remove/", views_mfa.PasskeyDeleteView.as_view(), name="passkey_delete"),
]
