"""The open API against the HTML announcement list on the same data (figures, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_e \\
        .venv/bin/python bench/api.py seed [--applications 300] [--announcements 500]
    … bench/api.py run [--duration 5] [--rounds 3] [--port 8300] [--no-cache]

It reuses ``bench/pages.py``: the same seeded data set (the demo programmes, 50 more calls and
500 published announcements), gunicorn as in production (``-w 2`` sync workers, DEBUG off) and
``wrk -t2 -c16`` interleaved with the floor page. Pages measured: the HTML announcement list
and the API's announcement and call lists, each unfiltered and filtered by region and status.
``--no-cache`` turns off both the public pages' cache and the API's (``API_CACHE_SECONDS=0``);
the API's rate limit is raised so that wrk measures the work, not the refusals (the throttle
still runs: one cache round trip a request). Its state and Redis are its own (``var/bench-api``,
``BENCH_REDIS_PORT`` 8309), apart from ``bench/pages.py``'s.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_REDIS_PORT", "8309")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8300")
os.environ.setdefault("API_RATE_LIMIT", "1000000000/m")
if "--no-cache" in sys.argv:
    os.environ["API_CACHE_SECONDS"] = "0"

from bench import pages as bench_pages  # noqa: E402

bench_pages.STATE = ROOT / "var" / "bench-api" / "state.json"
bench_pages.STATE.parent.mkdir(parents=True, exist_ok=True)


def api_pages(state):
    return [
        ("html announcements", "/announcements/", None),
        ("api announcements", "/api/v1/announcements/", None),
        ("api calls", "/api/v1/calls/", None),
        ("html announcements filtered", "/announcements/?region=GB&status=open", None),
        ("api announcements filtered", "/api/v1/announcements/?region=GB&status=open", None),
        ("api calls filtered", "/api/v1/calls/?region=GB&status=open", None),
    ]


bench_pages.pages = api_pages

if __name__ == "__main__":
    if "seed" in sys.argv and "--applications" not in sys.argv:
        sys.argv += ["--applications", "300"]
    if "run" in sys.argv and "--port" not in sys.argv:
        sys.argv += ["--port", "8300"]
    bench_pages.main()
