"""Memory of a real notice worker over many notices (figures, not a test).

    CELERY_BROKER_URL=redis://127.0.0.1:8209/2 DATABASE_URL=postgres://…/portal_d \\
        .venv/bin/python bench/worker_memory.py [notices, default 500]

Builds a confirmed award run with N notices to generate (``bench/notices.py``'s data, in a
throwaway database: ``BENCH_DATABASE``, default ``bench_worker_memory``), starts
``celery -A portal worker -c 1`` with the portal's settings (so with
``CELERY_WORKER_MAX_TASKS_PER_CHILD`` and ``CELERY_WORKER_MAX_MEMORY_PER_CHILD``), queues a
``generate_notice`` task per notice and samples the resident memory of the worker's pool
processes every half second until every notice is generated. It prints the peak, the peak
just before each process was replaced, and how many processes served the notices. A worker
without the limits grows past 300 MB after about 400 notices.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import notices as notice_bench  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in found.split()]


def main():
    if not settings.CELERY_BROKER_URL:
        sys.exit("Set CELERY_BROKER_URL to a Redis of the bench's own.")
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    media = tempfile.mkdtemp(prefix="bench-worker-")
    settings.MEDIA_ROOT = media
    test = settings.DATABASES["default"].setdefault("TEST", {})
    test["NAME"] = os.environ.get("BENCH_DATABASE", "bench_worker_memory")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                  serialize=False)
    worker = None
    try:
        from awards.models import Notice
        from awards.tasks import generate_notice

        ids = notice_bench.populate(count)
        env = {**os.environ, "DATABASE_URL": notice_bench.database_url(test["NAME"]),
               "MEDIA_ROOT": media, "EMAIL_URL": "dummymail://", "LOG_LEVEL": "WARNING"}
        worker = subprocess.Popen(
            [str(ROOT.parent / ".venv" / "bin" / "celery"), "-A", "portal", "worker", "-c", "1",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            env=env, cwd=ROOT.parent, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(5)
        for notice_id in ids:
            generate_notice.apply_async((notice_id,))
        started, peak, seen, last = time.monotonic(), 0.0, {}, {}
        while time.monotonic() - started < 1800:
            for pid in children(worker.pid):
                size = rss_mb(pid)
                seen[pid] = max(seen.get(pid, 0.0), size)
                last[pid] = size
                peak = max(peak, size)
            done = Notice.objects.filter(pk__in=ids, generated_at__isnull=False).count()
            if done == len(ids):
                break
            time.sleep(0.5)
        seconds = time.monotonic() - started
        print(f"notices generated: {done} of {len(ids)} in {seconds:.0f} s by a worker with "
              f"max_tasks_per_child={settings.CELERY_WORKER_MAX_TASKS_PER_CHILD}, "
              f"max_memory_per_child={settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD} KiB")
        print(f"pool processes that served them: {len(seen)}; peak resident memory of one: "
              f"{peak:.0f} MB (target < 300 MB)")
        print("each process's peak: " + ", ".join(f"{size:.0f}" for size in seen.values())
              + " MB")
    finally:
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
