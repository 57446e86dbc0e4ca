"""A web process finds a task by name the first time it publishes one without running the
system checks: Celery's Django fix-up runs them when the loader imports its default modules,
about a second of the first award confirmation in each web process."""

from tests.portal.clean_env import manage

CODE = """
from celery.fixups import django as fixup
fixup.DjangoWorkerFixup.validate_models = lambda self: print("checks")
from portal.celery import app
print("awards.generate_notice" in app.tasks)
from outbox import services
print(services.celery_task("awards.generate_notice").name)
print(services.celery_task(services.PUBLISH_MESSAGES).name)
"""


def test_a_task_asked_for_by_name_is_found_without_the_system_checks():
    result = manage("shell", "--no-imports", "-c", CODE, env={})
    assert (result.stdout.split(), result.returncode) == (
        ["False", "awards.generate_notice", "outbox.publish_messages"],
        0,
    )
