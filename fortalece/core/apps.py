from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fortalece.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from fortalece.core import audit  # noqa: F401 - connects the signal receivers
