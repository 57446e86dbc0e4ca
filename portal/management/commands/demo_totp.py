"""``manage.py demo_totp <email>``: the current code of a demo account's authenticator app, so
that whoever runs ``make run`` can sign in as staff, an operator or a reviewer (DEBUG only)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Print the current two-factor code of a demo account (DEBUG only); the demo "
            "accounts share the key portal.demo.DEMO_TOTP_SECRET.")

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's email address.")

    def handle(self, *args, email, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp works only with DEBUG on: it reads the account's "
                               "two-factor key, which production never prints.")
        authenticator = (Authenticator.objects
                         .filter(user__email__iexact=email, type=Authenticator.Type.TOTP)
                         .first())
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app: load the demo data "
                               "(manage.py load_demo) or set one up when signing in.")
        now = int(time.time())
        code = format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), now // 30))
        self.stdout.write(code)
        self.stderr.write(f"valid for {30 - now % 30} more seconds")
