"""Settings of the page benchmark (``bench/pages.py``): production's, plus the floor page.

DEBUG off, manifest static files (collected into ``var/bench/static``), the same middleware
and templates; the URL configuration adds ``/bench/floor/``, a trivial template page with no
database that every page is measured against.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DEBUG", "off")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k3y" * 20)
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench" / "static"))
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8200")
# Production needs a mail server and a broker; nothing here sends mail or queues a task, and
# the cache (Redis, shared by the workers, as in production) is the bench's own server.
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:8208")
REDIS_PORT = int(os.environ.setdefault("BENCH_REDIS_PORT", "8209"))
os.environ.setdefault("CELERY_BROKER_URL", f"redis://127.0.0.1:{REDIS_PORT}/0")
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:{REDIS_PORT}/1")

from portal.settings import *  # noqa: E402, F403
from portal.settings import TEMPLATES  # noqa: E402

ROOT_URLCONF = "bench.urls"
# ``bench/pages.py run --no-cache`` measures the public pages without their page cache.
PUBLIC_PAGE_CACHE = os.environ.get("BENCH_PAGE_CACHE", "on") != "off"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], ROOT / "bench" / "templates"]
