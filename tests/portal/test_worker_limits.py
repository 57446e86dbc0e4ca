"""A Celery worker's processes are recycled, so a notice worker's memory stays bounded however
many notices it renders (WeasyPrint's caches grow with every document)."""

from portal.celery import app


def test_worker_processes_recycled_after_100_tasks_or_250_mb():
    assert (app.conf.worker_max_tasks_per_child, app.conf.worker_max_memory_per_child) == (
        100, 250_000)
