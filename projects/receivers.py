"""An application notified of its selection gets its agreement, whatever notified it.

``awards`` knows nothing of projects (the layers): it moves an application to *notified*
through ``applications.services.transition``, which writes a ``StateChange`` audit row in the
same transaction. This receiver sees that row and opens the agreement in that transaction, so a
selection notice and its agreement clock never exist one without the other. (The hourly check
opens any agreement this missed, as a safety net.)
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.enums import ApplicationStatus
from applications.models import StateChange


@receiver(post_save, sender=StateChange, dispatch_uid="projects-open-agreement")
def open_agreement_on_notice(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.to_status != ApplicationStatus.NOTIFIED:
        return
    from . import services

    services.open_agreement(instance.application)
