"""An accepted agreement gets its project in the transaction that accepts it.

``projects`` knows nothing of settlement (the layers): accepting moves the application to
*agreement* through ``applications.services.transition``, which writes a ``StateChange`` row;
this receiver sees that row and makes the project, so an accepted agreement and the project its
money is paid to never exist one without the other."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.enums import ApplicationStatus
from applications.models import StateChange

from . import services


@receiver(post_save, sender=StateChange, dispatch_uid="settlement-open-project")
def open_project_on_acceptance(sender, instance, created, raw=False, **kwargs):
    if raw or not created or instance.to_status != ApplicationStatus.AGREEMENT:
        return
    services.open_project(instance.application_id)
