"""Recording consent and telling who must consent again."""

from django.db import transaction
from django.utils import timezone

from .models import ConsentRecord, ConsentVersion


def record_consent(user, version: ConsentVersion, *, marketing: bool) -> ConsentRecord:
    """The user's consent to ``version`` (the required part given, marketing as chosen), dated
    now; agreeing to a version twice keeps the first record's date and takes the new choice
    of marketing."""
    with transaction.atomic():
        record, created = ConsentRecord.objects.get_or_create(
            user=user, version=version,
            defaults={"marketing": marketing, "agreed_at": timezone.now()})
        if not created and record.marketing != marketing:
            record.marketing = marketing
            record.save(update_fields=["marketing"])
    return record


def consent_due(user) -> ConsentVersion | None:
    """The version ``user`` must agree to before going on: the current version, unless the user
    agreed to it. An account with no consent record at all (made by staff in the admin, or
    before consent was recorded) is asked too, at its next sign-in."""
    current = ConsentVersion.objects.current()
    if current is None:
        return None
    if ConsentRecord.objects.filter(user=user, version=current).exists():
        return None
    return current
