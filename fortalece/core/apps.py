from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fortalece.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from fortalece.core import audit  # noqa: F401 - connects the signal receivers
        from fortalece.core.scheduling import periodic
        from fortalece.core.tasks_recovery import tasks_recover_task

        periodic("tasks_recover", tasks_recover_task, every="hourly")
