from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "fortalece.credentials"
    label = "credentials"
    verbose_name = _("Certificates and badges")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.credentials import plugins

        plugins.register()
