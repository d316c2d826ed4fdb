from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "fortalece.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.training import plugins

        plugins.register()
