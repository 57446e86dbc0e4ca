"""The demo's people: each app's demo loader makes its accounts with ``ensure_user`` (one
password for every demo account), and the accounts that must use two-factor authentication
get the demo authenticator key. Created only when DEBUG is on (see ``load_demo``)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import encrypt

from .models import User

DEMO_PASSWORD = "demo-portal-2025"


# Staff, operators and reviewers must use two-factor authentication: their demo accounts share
# this authenticator-app key (documented in the README), and ``manage.py demo_totp <email>``
# prints the current code.
DEMO_TOTP_SECRET = "DEMOPORTALSMARTFACTORYTOTPKEYXYZ"


def ensure_user(email, name, *, staff=False, region=None, password=DEMO_PASSWORD):
    """A verified account that can sign in at once; existing accounts are left as they are."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults=dict(username=email, full_name=name, is_staff=staff, is_superuser=staff,
                      region=region),
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email,
                                           defaults={"verified": True, "primary": True})
    return user


def ensure_totp(user, secret=DEMO_TOTP_SECRET):
    """An authenticator app with ``secret`` and a set of recovery codes (each kept as it is
    when the account has one already)."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}})
    RecoveryCodes.activate(user)
