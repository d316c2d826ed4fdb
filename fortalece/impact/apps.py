from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "fortalece.impact"
    label = "impact"
    verbose_name = _("Impact evaluation")

    def ready(self) -> None:
        # local import: these modules import models, loaded after the app registry.
        from fortalece.core.scheduling import periodic
        from fortalece.impact.followup import followup_links_daily

        periodic("impact_followup_links", followup_links_daily, every="daily", at_hour=6)
