"""Demo accounts for every role. Created only when DEBUG is on (see ``load_demo``)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.utils import encrypt
from django.db import transaction

from programs.models import Region

from .models import User

DEMO_PASSWORD = "demo-portal-2025"

ACCOUNTS = [
    # email, name, staff, region code
    ("staff@demo.smartfactory.kr", "중기부 담당자", True, None),
    ("operator-gb@demo.smartfactory.kr", "경북 운영기관 담당자", False, "GB"),
    ("operator-jn@demo.smartfactory.kr", "전남 운영기관 담당자", False, "JN"),
    ("operator-jb@demo.smartfactory.kr", "전북 운영기관 담당자", False, "JB"),
    ("reviewer1@demo.smartfactory.kr", "평가위원 1", False, None),
    ("reviewer2@demo.smartfactory.kr", "평가위원 2", False, None),
    ("reviewer3@demo.smartfactory.kr", "평가위원 3", False, None),
    ("company@demo.smartfactory.kr", "데모식품 대표", False, None),
]
# Staff, operators and reviewers must use two-factor authentication: their demo accounts share
# this authenticator-app key (documented in the README), and ``manage.py demo_totp <email>``
# prints the current code.
DEMO_TOTP_SECRET = "DEMOPORTALSMARTFACTORYTOTPKEYXYZ"
TWO_FACTOR_ACCOUNTS = [email for email, _name, _staff, _region in ACCOUNTS
                       if email != "company@demo.smartfactory.kr"]


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


@transaction.atomic
def load_accounts():
    regions = {r.code: r for r in Region.objects.all()}
    users = {
        email: ensure_user(email, name, staff=staff, region=regions.get(code))
        for email, name, staff, code in ACCOUNTS
    }
    for email in TWO_FACTOR_ACCOUNTS:
        ensure_totp(users[email])
    return users
