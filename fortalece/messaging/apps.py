from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fortalece.messaging"
    label = "messaging"
    verbose_name = _("Messages and notifications")

    def ready(self) -> None:
        from fortalece.core.scheduling import periodic
        from fortalece.messaging.jobs import digest_daily, reminders_daily

        # The digest arrives in the morning (local time) with what the day before brought.
        periodic("messaging_digest", digest_daily, every="daily", at_hour=7)
        periodic("messaging_reminders", reminders_daily, every="daily", at_hour=8)
