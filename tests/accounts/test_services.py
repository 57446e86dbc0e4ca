"""The consent versions and records (accounts/models.py, services.py)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import ConsentRecord, ConsentVersion
from accounts.services import consent_due, record_consent
from accounts.texts import FIRST_VERSION
from tests.factories.portal import UserFactory


def version(number, published_at):
    return ConsentVersion.objects.create(number=number, items="-", purpose="-", retention="-",
                                         refusal="-", marketing="-", published_at=published_at)


def test_the_first_version_is_written_and_published_when_migrating(db):
    (first,) = ConsentVersion.objects.all()
    assert (first.number, first.purpose, first.refusal, first.marketing_en) == (
        1, FIRST_VERSION["purpose"], FIRST_VERSION["refusal"], FIRST_VERSION["marketing_en"])
    assert first.published_at <= timezone.now()
    assert ConsentVersion.objects.current() == first


def test_current_is_the_newest_published_version(db):
    version(2, timezone.now() - timedelta(days=1))
    version(3, None)  # a draft
    version(4, timezone.now() + timedelta(days=2))  # published later
    assert ConsentVersion.objects.current().number == 2


def test_record_consent_keeps_the_first_date_and_takes_the_new_marketing_choice(db):
    user = UserFactory()
    first = ConsentVersion.objects.get(number=1)
    record = record_consent(user, first, marketing=True)
    again = record_consent(user, first, marketing=False)
    assert (again.pk, again.agreed_at, again.marketing) == (record.pk, record.agreed_at, False)
    assert ConsentRecord.objects.filter(user=user).count() == 1


def test_consent_due_for_every_user_who_has_not_agreed_to_the_current_version(db):
    agreed_before, never, agreed_now = (UserFactory(consented=False) for _ in range(3))
    record_consent(agreed_before, ConsentVersion.objects.get(number=1), marketing=False)
    second = version(2, timezone.now())
    record_consent(agreed_now, second, marketing=False)
    assert (consent_due(agreed_before), consent_due(never), consent_due(agreed_now)) == (
        second, second, None)


def test_the_demo_accounts_agree_to_the_current_version(db):
    from accounts import demo as accounts_demo

    demo_user = UserFactory(email="company@demo.smartfactory.kr", consented=False)
    other = UserFactory(email="someone@company.test", consented=False)
    accounts_demo.load()
    accounts_demo.load()
    assert (consent_due(demo_user), consent_due(other)) == (None,
                                                            ConsentVersion.objects.current())
    assert ConsentRecord.objects.filter(user=demo_user).count() == 1


def test_the_required_part_cannot_be_stored_as_refused(db):
    with pytest.raises(IntegrityError):
        ConsentRecord.objects.create(user=UserFactory(),
                                     version=ConsentVersion.objects.get(number=1),
                                     personal_information=False)
