from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CascadeConfig(AppConfig):
    name = "fortalece.cascade"
    label = "cascade"
    verbose_name = _("Train-the-trainer cascade")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.cascade import plugins

        plugins.register()
