from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fortalece.learning"
    verbose_name = _("Learning")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.learning import plugins

        plugins.register()
