"""Running callables at the same moment, each in its own thread and database connection."""

import threading
import time

from django.db import OperationalError, close_old_connections, connection


def run_concurrently(targets):
    """Start every callable at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(targets))
    outcomes, errors = [], []

    def worker(target):
        close_old_connections()
        try:
            barrier.wait()
            for attempt in range(50):
                try:
                    outcomes.append(target())
                    return
                except OperationalError:  # SQLite: the other writer holds the database
                    if connection.vendor == "postgresql":
                        raise
                    time.sleep(0.05 * (attempt + 1))
            raise AssertionError("the database stayed locked")
        except Exception as error:  # noqa: BLE001 (reported by the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, errors
