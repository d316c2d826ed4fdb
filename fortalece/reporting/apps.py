from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "fortalece.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.core.scheduling import periodic
        from fortalece.reporting.saved import saved_reports_monthly, saved_reports_weekly

        periodic("saved_reports_weekly", saved_reports_weekly, every="weekly", at_hour=7)
        periodic("saved_reports_monthly", saved_reports_monthly, every="monthly", at_hour=7)
