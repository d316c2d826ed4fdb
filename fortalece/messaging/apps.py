from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from fortalece.core.scheduling import periodic


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fortalece.messaging"
    label = "messaging"
    verbose_name = _("Messages and notifications")

    def ready(self) -> None:
        # The daily jobs, and the receivers that notify learners of what other apps record
        # (grades, certificates, new lessons): those apps need not know this one.
        # local import: these modules import models, loaded after the app registry.
        from fortalece.messaging import jobs, receivers  # noqa: F401

        # The digest arrives in the morning (local time) with what the day before brought.
        periodic("messaging_digest", jobs.digest_daily, every="daily", at_hour=7)
        periodic("messaging_reminders", jobs.reminders_daily, every="daily", at_hour=8)
