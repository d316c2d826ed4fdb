from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fortalece.assignments"
    verbose_name = _("Assignments and gradebook")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.assignments import links, portability, selectors
        from fortalece.learning import hooks

        hooks.register(
            hooks.CourseExtension(
                key="assignments",
                export=portability.export,
                import_=portability.import_,
                copy=portability.copy,
            )
        )
        hooks.register_handed_in(selectors.handed_in_items)
        links.register()
