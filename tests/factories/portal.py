import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

from portal.models import User

PASSWORD = "correct-horse-battery-staple"
# The authenticator app of every test user who must use two-factor authentication (staff,
# operators, reviewers): ``totp_code()`` gives its current code.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=TOTP_SECRET, step=0):
    """The authenticator app's code now (``step=1``: the next one, which the portal also
    accepts, for a second sign-in within the same 30 seconds)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def give_totp(user, secret=TOTP_SECRET):
    """An active authenticator app for ``user`` (idempotent)."""
    Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                        defaults={"data": {"secret": encrypt(secret)}})
    return user


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    username = factory.LazyAttribute(lambda o: o.email)
    full_name = factory.Sequence(lambda n: f"사용자 {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(user=obj, email=obj.email,
                                               defaults={"verified": True, "primary": True})

    @factory.post_generation
    def consented(obj, create, extracted, **kwargs):
        """Agreed to the current consent texts, as a signed-up account has
        (``consented=False``: an account made before consent was recorded, or by staff)."""
        if create and extracted is not False:
            from accounts.models import ConsentVersion
            from accounts.services import record_consent

            current = ConsentVersion.objects.current()
            if current is not None:
                record_consent(obj, current, marketing=False)

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):
        """Staff and operators get an authenticator app, as the portal requires
        (``two_factor=False``: an account that has not enrolled yet)."""
        if create and extracted is not False and (obj.is_staff or obj.region_id):
            give_totp(obj)
