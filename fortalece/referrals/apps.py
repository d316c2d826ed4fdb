from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "fortalece.referrals"
    verbose_name = "Referrals"
