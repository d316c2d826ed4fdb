from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "fortalece.privacy"
    verbose_name = _("Privacy and history")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.core.scheduling import periodic
        from fortalece.privacy.retention import retention_task

        periodic("retention", retention_task, every="daily", at_hour=3)
