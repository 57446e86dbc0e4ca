"""Demo accounts for every role. Created only when DEBUG is on (see ``load_demo``)."""

from django.db import transaction

from programs.models import Region

from .demo_users import DEMO_PASSWORD, DEMO_TOTP_SECRET, ensure_totp, ensure_user

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "DEMO_TOTP_SECRET", "TWO_FACTOR_ACCOUNTS", "ensure_totp",
           "ensure_user", "load_accounts"]


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
TWO_FACTOR_ACCOUNTS = [email for email, _name, _staff, _region in ACCOUNTS
                       if email != "company@demo.smartfactory.kr"]


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
