"""Tests that publish to a real or an unreachable broker instead of running tasks eagerly."""

from contextlib import contextmanager

from portal.celery import app as celery_app

UNREACHABLE = "redis://127.0.0.1:1/0"


@contextmanager
def broker_at(url):
    """Publish to and consume from ``url`` (tasks no longer eager) for the block, with fresh
    connections. (The read and write URLs are set because Celery gives an environment's
    ``CELERY_BROKER_URL`` precedence over ``broker_url``.)"""
    conf = celery_app.conf
    saved = (conf.get("broker_read_url"), conf.get("broker_write_url"),
             conf.task_always_eager)

    def reset_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    conf.broker_read_url = conf.broker_write_url = url
    conf.task_always_eager = False
    reset_pools()
    try:
        yield
    finally:
        conf.broker_read_url, conf.broker_write_url, conf.task_always_eager = saved
        reset_pools()
