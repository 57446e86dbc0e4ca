"""Container health checks of docker-compose.yml: ``python -m portal.healthcheck web|beat``.

Plain standard library, no Django set-up, so that a check is cheap and cannot hang on settings.
Exit status 0 means healthy.

- ``web``: the home page answers 200 on port 8000, asked for as the TLS proxy would (first
  host of ``ALLOWED_HOSTS``, ``X-Forwarded-Proto: https``, so no HTTPS redirect), which also
  proves the database answers.
- ``beat``: a ``celery … beat`` process is alive (beat answers no ping).
"""

import os
import sys
import urllib.error
import urllib.request
from pathlib import Path


def web(url="http://127.0.0.1:8000/", host=None, timeout=5.0) -> bool:
    host = host or os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    request = urllib.request.Request(
        url, headers={"Host": host.lstrip(".") or "localhost", "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def beat(proc=Path("/proc")) -> bool:
    for cmdline in proc.glob("[0-9]*/cmdline"):
        try:
            words = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(w.endswith(b"celery") for w in words) and b"beat" in words:
            return True
    return False


CHECKS = {"web": web, "beat": beat}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in CHECKS:
        print(f"usage: python -m portal.healthcheck {'|'.join(CHECKS)}", file=sys.stderr)
        return 2
    return 0 if CHECKS[argv[0]]() else 1


if __name__ == "__main__":
    sys.exit(main())
