from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fortalece.core.scheduling import periodic


class CoreConfig(AppConfig):
    name = "fortalece.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.core.tasks_recovery import tasks_recover_task

        periodic("tasks_recover", tasks_recover_task, every="hourly")
