"""Print the current sign-in code of the demo staff accounts (they share a published key)."""

import time

from django.core.management.base import BaseCommand

from fortalece.accounts import otp
from fortalece.demo.seed.accounts import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Prints the current authenticator code of the demo staff accounts (see README)."

    def handle(self, *args: object, **options: object) -> None:
        now = time.time()
        left = otp.PERIOD - int(now) % otp.PERIOD
        self.stdout.write(f"{otp.totp(DEMO_TOTP_SECRET, now)}  (valid for {left} more seconds)")
