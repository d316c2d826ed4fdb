from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "fortalece.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.quizzes import links, portability

        portability.register()
        links.register()
