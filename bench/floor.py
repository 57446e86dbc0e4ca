"""The floor of the in-process benches: what this machine does now, timed in the same run as
the figures it divides (the machines are shared, so absolute times drift between runs)."""

import time

from django.db import connection


def floor() -> float:
    """1,000 trivial queries and a fixed Python loop, in seconds."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in range(1000):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    total = 0
    for n in range(1_000_000):
        total += n % 7
    return time.perf_counter() - started


def best_floor(times: int = 3) -> float:
    return min(floor() for _ in range(times))
