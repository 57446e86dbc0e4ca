"""Writes of the results app: publishing a confirmed run's results (staff)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from awards.models import AwardRun

from .models import PublishedResult
from .selectors import publish_refusal, snapshot


@transaction.atomic
def publish(run: AwardRun, user, *, show_company_names: bool) -> PublishedResult:
    """Freeze and publish the results of a confirmed run whose notices are all sent; refused
    (a ValidationError with the reason) otherwise. Once per run."""
    run = (AwardRun.objects.select_for_update(of=("self",)).select_related("call__region")
           .get(pk=run.pk))
    reason = publish_refusal(run)
    if reason:
        raise ValidationError(reason, code="not_publishable")
    try:
        with transaction.atomic():
            return PublishedResult.objects.create(
                call=run.call, run=run, show_company_names=show_company_names,
                data=snapshot(run, show_company_names=show_company_names),
                published_by=user, published_at=timezone.now())
    except IntegrityError as error:  # published at the same moment by someone else
        raise ValidationError(publish_refusal(run), code="not_publishable") from error
