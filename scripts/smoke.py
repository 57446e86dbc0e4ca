"""The production smoke test (`make smoke`, run by .ci/run after `make test`).

One script of about 800 lines on purpose: it is one scenario run top to bottom (build, serve,
break, restore), and a reader follows it in order; split, its steps would share their state
(processes, ports, folders) through module globals instead of this file's locals.

The portal as production runs it, on one machine and without a Docker engine:

1. **Build** as the Dockerfile does: the tree copied as the image's context (.dockerignore),
   a fresh virtualenv with the lock file's exact versions, and scripts/build.sh (DEBUG off,
   compilemessages, collectstatic with the manifest storage, prepare_notice_fonts).
2. **Run the commands of docker-compose.yml** (read from the YAML): the migrate step, then
   gunicorn (web), the Celery worker and beat, with the environment of ``x-portal-env``
   adapted to localhost, against PostgreSQL (database ``portal_smoke``), a Redis of its own on
   a spare port (6399; the machine's Redis is never touched) and an SMTP sink that stores
   every message.
3. **One Chromium journey** through gunicorn: a company signs up (the verification link is
   read from the sink), registers, applies and submits *while Redis is stopped* (the page must
   answer 200); Redis comes back. The call is closed and scored by a script (the company's
   application and 24 others), staff sign in (with their TOTP code), compute and confirm the
   award run; the worker is killed with SIGKILL in the middle of generating the notices and
   started again; the company downloads its notice.
4. **Nothing lost, nothing sent twice**: every notice generated and emailed, and the sink holds
   exactly one message per ``X-Portal-Outbox-Key``, as many as the journey causes.
5. **Backup and restore**: scripts/backup.sh, scripts/restore.sh into a fresh database
   (``portal_restore``) and media folder, gunicorn on the restored data: the company sees its
   application, downloads its document and its notice.

Every step is printed; any failure exits non-zero, after printing the end of each process's
log. Processes are stopped at the end whatever happens. ``--keep`` keeps the working folder
(logs, emails, build) and the databases for a look afterwards; ``--commit HEAD`` builds from a
commit (``git archive``) instead of the working tree, as a clean clone would.
"""

from __future__ import annotations

import argparse
import base64
import email
import email.policy
import fnmatch
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("SMOKE_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE, RESTORED = "portal_smoke", "portal_restore"
CALL = "2025-GB"
OTHERS = 24  # scored applications beside the company's: 25 notices take a while
OUTBOX_ENV = {"OUTBOX_DRAIN_SECONDS": "3", "OUTBOX_REDELIVER_AFTER": "15"}
KEY_HEADER = "X-Portal-Outbox-Key"
PASSWORD = "green-kettle-harbour-42"
COMPANY_EMAIL = "ceo@smoke-food.test"


class SmokeFailure(Exception):
    pass


def free_port(preferred: int | None = None) -> int:
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise SmokeFailure("no free port")


def hotp(secret: str, counter: int, digits: int = 6) -> str:
    """RFC 4226 (what an authenticator app computes; TOTP is HOTP of time // 30)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10 ** digits:0{digits}d}"


# --- The SMTP sink --------------------------------------------------------------------------

class Sink:
    """aiosmtpd handler: every message received, parsed, in order, also written to a file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        folder.mkdir(parents=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            (self.folder / f"{len(self.messages):03d}.eml").write_bytes(raw)
        return "250 OK"

    def snapshot(self) -> list:
        with self.lock:
            return list(self.messages)

    def to(self, address: str) -> list:
        return [m for m in self.snapshot() if address in str(m.get("To", ""))]


def body_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


# --- Processes ------------------------------------------------------------------------------

class Service:
    """One long-running process in its own process group (kill -9 kills all of it)."""

    def __init__(self, name, argv, *, env, cwd, logs: Path, shell=False):
        self.name, self.argv, self.env, self.cwd, self.shell = name, argv, env, cwd, shell
        self.log_path = logs / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open by the child)
        log.write(f"\n--- start {time.strftime('%H:%M:%S')}: {self.argv}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, shell=self.shell)
        log.close()
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self):
        """kill -9 of the whole process group, as a container is killed."""
        self.signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=30)

    def stop(self, timeout=20):
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        # What the group left behind (a pool child still closing) goes too.
        self.signal(signal.SIGKILL)

    def tail(self, lines=40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# --- The smoke test -------------------------------------------------------------------------

class Smoke:
    def __init__(self, keep: bool, commit: str | None = None):
        self.commit = commit
        self.started = time.monotonic()
        self.keep = keep
        self.work = Path(tempfile.mkdtemp(prefix="portal-smoke-"))
        self.app, self.venv = self.work / "app", self.work / "venv"
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.media = self.work / "media"
        self.services: dict[str, Service] = {}
        self.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        self.redis_port = free_port(6399)
        self.web_port, self.restored_port, self.smtp_port = free_port(), free_port(), free_port()
        self.sink = Sink(self.work / "mail")
        self.smtp = None
        self.browser = self.playwright = None
        self.uploaded: dict[str, bytes] = {}
        self.secret_key = secrets.token_urlsafe(60)
        self.expected_notices = 0
        self.application_pk = None

    # -- output
    def step(self, text):
        print(f"[smoke {time.monotonic() - self.started:6.1f}s] {text}", flush=True)

    def check(self, condition, text):
        if not condition:
            raise SmokeFailure(text)
        self.step(f"  ok: {text}")

    def wait_for(self, predicate, what, timeout=60.0, interval=0.25):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise SmokeFailure(f"timed out after {timeout:.0f} s waiting for {what}")

    # -- 1. build
    def copy_context(self):
        """The tree as the image's build context: .dockerignore's patterns left out (a pattern
        matches from the root; ``**/`` at any depth)."""
        patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
                    if p.strip() and not p.startswith("#")]

        def ignored(relative: str) -> bool:
            parts = relative.split("/")
            for pattern in patterns:
                if pattern.startswith("**/"):
                    if any(fnmatch.fnmatchcase(part, pattern[3:]) for part in parts):
                        return True
                elif fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(
                        parts[0], pattern):
                    return True
            return False

        def ignore(folder, names):
            base = Path(folder).relative_to(ROOT).as_posix()
            return {n for n in names if ignored(n if base == "." else f"{base}/{n}")}

        source = ROOT
        if self.commit:
            source = self.work / "checkout"
            source.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", self.commit],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
        shutil.copytree(source, self.app, ignore=lambda folder, names: ignore(
            str(ROOT / Path(folder).relative_to(source)), names), symlinks=True)

    def build_env(self) -> dict:
        env = {k: os.environ[k] for k in ("HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_CACHE_DIR",
                                          "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT", "PIP_CERT")
               if k in os.environ}
        env["PATH"] = f"{self.venv / 'bin'}:{os.environ['PATH']}"
        env["PYTHON"] = str(self.venv / "bin" / "python")
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        return env

    def run(self, argv, *, env, cwd=None, what, timeout=900, shell=False):
        result = subprocess.run(argv, env=env, cwd=cwd or self.app, capture_output=True,
                                text=True, timeout=timeout, shell=shell)
        log = self.logs / f"{re.sub(r'[^a-z0-9]+', '-', what.lower()).strip('-')}.log"
        log.write_text(f"$ {argv}\n{result.stdout}\n{result.stderr}")
        if result.returncode != 0:
            raise SmokeFailure(f"{what} failed ({result.returncode}):\n"
                               + "\n".join((result.stdout + result.stderr).splitlines()[-30:]))
        return result

    def build(self):
        self.step("build: the image's context (.dockerignore) into a fresh folder"
                  + (f", from {self.commit}" if self.commit else ""))
        self.copy_context()
        self.check(not (self.app / ".git").exists() and (self.app / "manage.py").exists(),
                   "the context holds the project without .git")
        self.step("build: a fresh virtualenv from the lock file (scripts/build.sh deps)")
        self.run([sys.executable, "-m", "venv", str(self.venv)], env=self.build_env(),
                 what="venv")
        self.run(["bash", "scripts/build.sh", "deps"], env=self.build_env(), what="build deps")
        freeze = self.run([str(self.venv / "bin" / "python"), "-m", "pip", "freeze"],
                          env=self.build_env(), what="pip freeze").stdout.split()
        locked = {line.split(" ")[0].lower().replace("_", "-")
                  for line in (self.app / "requirements" / "production.txt").read_text()
                  .splitlines() if re.match(r"^[A-Za-z0-9]", line) and ";" not in line}
        installed = {line.lower().replace("_", "-") for line in freeze}
        self.check(locked <= installed and not any(n.startswith(("pytest", "playwright"))
                                                    for n in installed),
                   f"the {len(installed)} installed packages are the lock file's "
                   "(production.txt), no test tool among them")
        self.step("build: DEBUG off: compilemessages, collectstatic (manifest), fonts "
                  "(scripts/build.sh assets)")
        self.run(["bash", "scripts/build.sh", "assets"], env=self.build_env(),
                 what="build assets")
        manifest = json.loads((self.app / "staticfiles" / "staticfiles.json").read_text())
        self.check("vendor/bootstrap/bootstrap.bundle.min.js" in manifest["paths"],
                   f"collectstatic wrote the manifest ({len(manifest['paths'])} files)")
        self.check(sorted(p.name for p in (self.app / "var" / "fonts").glob("*.ttf")) != [],
                   "the notice fonts are prepared")

    # -- 2. services
    def psql(self, sql, database="postgres"):
        return subprocess.run(["psql", f"{PG}/{database}", "-v", "ON_ERROR_STOP=1", "-qtAc",
                               sql], capture_output=True, text=True, check=True).stdout

    def fresh_database(self, name):
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{name}"')

    def interpolate(self, value, variables):
        """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} and $$."""
        def replace(match):
            name, op, arg = match.group(1), match.group(2), match.group(3)
            got = variables.get(name, "")
            if op == ":?" and not got:
                raise SmokeFailure(f"compose needs {name}: {arg}")
            if op == ":-" and not got:
                return arg
            return got
        return re.sub(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}", replace,
                      str(value)).replace("$$", "$")

    def portal_env(self, *, database=DATABASE, media=None, web_port=None, redis_db=(0, 1)):
        """x-portal-env of docker-compose.yml, interpolated with the smoke's .env, the service
        host names (postgres, redis) and paths adapted to this machine."""
        web_port = web_port or self.web_port
        dotenv = {  # what .env holds in production (.env.example)
            "SECRET_KEY": self.secret_key,
            "POSTGRES_PASSWORD": "not-used-by-the-smoke-test",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{web_port}",
            "SITE_URL": f"http://127.0.0.1:{web_port}",
        }
        env = {k: self.interpolate(v, dotenv) for k, v in self.compose["x-portal-env"].items()}
        adapted = {
            "DATABASE_URL": f"{PG}/{database}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/{redis_db[0]}",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/{redis_db[1]}",
            "MEDIA_ROOT": str(media or self.media),
        }
        unknown = {k for k, v in env.items() if "postgres:" in v or "redis:" in v
                   or v.startswith("/app/")} - set(adapted)
        if unknown:
            raise SmokeFailure(f"x-portal-env names container paths or hosts the smoke test "
                               f"does not adapt: {sorted(unknown)}")
        env.update(adapted)
        env.update(OUTBOX_ENV)
        env.update(PATH=f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
                   HOME=os.environ.get("HOME", "/root"), LANG="C.UTF-8",
                   HOSTNAME=socket.gethostname(), PYTHONUNBUFFERED="1")
        return env

    def command(self, service, **replace) -> list[str]:
        argv = [str(a) for a in self.compose["services"][service]["command"]]
        for old, new in replace.items():
            argv = [new if a == old.replace("_", "-") or a == old else a for a in argv]
        return argv

    def start_services(self):
        self.step(f"services: PostgreSQL database {DATABASE}, Redis on port {self.redis_port}"
                  f" (its own), SMTP sink on port {self.smtp_port}")
        self.fresh_database(DATABASE)
        redis_argv = [*map(str, self.compose["services"]["redis"]["command"]), "--port",
                      str(self.redis_port), "--bind", "127.0.0.1", "--dir",
                      str(self.work / "redis")]
        (self.work / "redis").mkdir()
        self.services["redis"] = Service("redis", redis_argv, env=dict(os.environ),
                                         cwd=self.work, logs=self.logs).start()
        self.wait_for(self.redis_up, "Redis to answer PING", timeout=20)
        from aiosmtpd.controller import Controller

        self.smtp = Controller(self.sink, hostname="127.0.0.1", port=self.smtp_port)
        self.smtp.start()

    def redis_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start_portal(self):
        env = self.portal_env()
        shown = {k: ("…" if k == "SECRET_KEY" else v) for k, v in env.items()
                 if k in self.compose["x-portal-env"] or k in OUTBOX_ENV}
        self.step(f"compose x-portal-env adapted to localhost: {json.dumps(shown)}")
        self.step(f"migrate (compose service 'migrate'): {' '.join(self.command('migrate'))}")
        self.run(self.command("migrate"), env=env, what="migrate", timeout=600)
        checked = self.run(["python", "manage.py", "check", "--deploy", "--fail-level",
                            "WARNING"], env=env, what="check --deploy")
        self.check(checked.stderr.strip() == "" and "no issues" in checked.stdout,
                   "manage.py check --deploy --fail-level WARNING: no issues")
        web = self.command("web", **{"0.0.0.0:8000": f"127.0.0.1:{self.web_port}"})
        worker = self.command("worker")
        beat = self.command("beat", **{"/tmp/celerybeat-schedule":
                                       str(self.work / "celerybeat-schedule")})
        for name, argv in (("web", web), ("worker", worker), ("beat", beat)):
            self.step(f"start {name}: {' '.join(argv)}")
            self.services[name] = Service(name, argv, env=env, cwd=self.app,
                                          logs=self.logs).start()
        self.wait_healthy("web", self.web_port)
        self.wait_worker()
        self.wait_for(lambda: self.services["beat"].alive() and "beat: Starting"
                      in self.services["beat"].tail(200), "beat to start", timeout=60)
        self.step("  ok: web, worker and beat are healthy")

    def wait_healthy(self, name, port):
        sys.path.insert(0, str(self.app))
        from portal import healthcheck

        def healthy():
            if not self.services[name].alive():
                raise SmokeFailure(f"{name} exited:\n{self.services[name].tail()}")
            return healthcheck.web(f"http://127.0.0.1:{port}/", host="127.0.0.1", timeout=3)
        self.wait_for(healthy, f"{name}'s health check (portal.healthcheck web)", timeout=90,
                      interval=0.5)

    def wait_worker(self, timeout=90):
        test = self.compose["services"]["worker"]["healthcheck"]["test"]
        shell = test[1].replace("$$", "$")
        env = self.portal_env()

        def ping():
            if not self.services["worker"].alive():
                raise SmokeFailure(f"the worker exited:\n{self.services['worker'].tail()}")
            return subprocess.run(shell, shell=True, env=env, cwd=self.app,
                                  capture_output=True, timeout=60).returncode == 0
        self.wait_for(ping, "the worker's health check (celery inspect ping)", timeout=timeout,
                      interval=1)

    # -- Django in this process (seeding and checks), on the smoke database
    def setup_django(self):
        os.environ.update(self.portal_env())
        os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop in this thread
        sys.path.insert(0, str(self.app))
        import django

        django.setup()

    # -- 3. the journey
    def start_browser(self):
        from playwright.sync_api import sync_playwright

        from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS)

    def context(self, port=None):
        # As behind the TLS proxy of production: X-Forwarded-Proto says https, so the portal
        # does not redirect and its Secure cookies hold (Chromium keeps them on 127.0.0.1).
        context = self.browser.new_context(
            locale="ko-KR", timezone_id="Asia/Seoul", accept_downloads=True,
            base_url=f"http://127.0.0.1:{port or self.web_port}",
            extra_http_headers={"X-Forwarded-Proto": "https"})
        context.set_default_timeout(30_000)
        return context

    def expect_ok(self, response, what):
        status = response.status if response is not None else None
        if status != 200:
            raise SmokeFailure(f"{what} answered {status}")

    def sign_in(self, page, email_address, password, totp_secret=None):
        from playwright.sync_api import expect

        page.goto("/accounts/login/")
        page.fill("#id_login", email_address)
        page.fill("#id_password", password)
        page.click("#login-button")
        if totp_secret:
            code = page.locator("input[name=code]")
            code.wait_for()
            code.fill(hotp(totp_secret, int(time.time()) // 30))
            code.press("Enter")
        expect(page).to_have_url(re.compile(r"/dashboard/$"))

    def company_applies(self):
        from playwright.sync_api import expect

        from applications.demo import pdf_bytes
        from programs.models import Announcement

        context = self.context()
        page = context.new_page()
        self.step("journey: a company signs up; the verification link comes from the sink")
        page.goto("/accounts/signup/")
        page.fill("#id_email", COMPANY_EMAIL)
        page.fill("#id_password1", PASSWORD)
        page.fill("#id_password2", PASSWORD)
        page.fill("#id_full_name", "박스모크")
        page.check("#id_consent_personal_information")
        page.click("#signup-button")
        expect(page.locator("#verification-sent")).to_be_visible()
        (message,) = self.wait_for(lambda: self.sink.to(COMPANY_EMAIL), "the verification email")
        path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", body_of(message))[1]
        page.goto(path)
        page.click("#confirm-button")
        self.sign_in(page, COMPANY_EMAIL, PASSWORD)

        self.step("journey: the company registers and fills in its business plan")
        page.click("#register-company")
        for field, value in (("name", "스모크식품"), ("registration_number", "120-81-47521"),
                             ("representative", "김스모"), ("address", "경상북도 청송군 1"),
                             ("ksic_code", "C10"), ("employees", "18"),
                             ("revenue", "2,400,000,000")):
            page.fill(f"#id_{field}", value)
        page.select_option("#id_region", label="경상북도")
        page.check("#id_is_sme")
        page.click("#company-save")
        expect(page.locator("#registration-number")).to_have_text("120-81-47521")
        announcement = Announcement.objects.get(call__code=CALL)
        page.goto(f"/announcements/{announcement.pk}/")
        page.click("#apply-button")
        page.get_by_label("기초").check()
        page.click("#start-button")
        expect(page.locator("h2")).to_have_text("기업 현황")
        from tests.factories.applications import complete_plan_values

        plan = complete_plan_values()
        page.fill("#id_company_overview", plan["company_overview"])
        page.click("#save-continue-button")
        page.fill("#id_current_production", plan["current_production"])
        page.fill("#id_production_problems", plan["production_problems"])
        page.click("#save-continue-button")
        page.fill("#id_systems", plan["systems"])
        page.fill("#id_supplier_name", "스마트솔루션")
        page.fill("#id_supplier_registration_number", "220-81-62517")
        page.click("#save-continue-button")
        for field, value in (("cost_software", "50,000,000"), ("cost_hardware", "30,000,000"),
                             ("cost_consulting", "10,000,000"), ("cost_other", "0")):
            page.fill(f"#id_{field}", value)
        expect(page.locator("#support-total")).to_have_text("54,000,000원")
        page.fill("#id_contribution_cash", "20,000,000")
        page.fill("#id_contribution_in_kind", "16,000,000")
        page.click("#save-continue-button")
        for code, baseline, target in [("productivity", "120", "150"),
                                       ("defect_rate", "3.5", "1.2"),
                                       ("cost", "1800", "1550"), ("lead_time", "10", "7")]:
            page.fill(f"#id_{code}_baseline", baseline)
            page.fill(f"#id_{code}_target", target)
        page.click("#save-continue-button")
        page.fill("#id_schedule_start", "2026-01-05")
        page.fill("#id_schedule_end", "2026-06-30")
        page.click("#save-continue-button")
        expect(page.locator("h2")).to_have_text("가점 항목")
        page.click("#save-continue-button")
        self.step("journey: the company uploads one PDF per required document")
        for kind in announcement.call.required_documents.order_by("code"):
            self.uploaded[kind.name] = pdf_bytes(kind.code)
            page.select_option("#id_document_type", label=kind.name)
            page.set_input_files("#id_file", files=[{
                "name": f"{kind.name}.pdf", "mimeType": "application/pdf",
                "buffer": self.uploaded[kind.name]}])
            page.click("#upload-button")
            expect(page.locator(f'[data-document-type="{kind.code}"]')).to_contain_text("제출됨")
        page.get_by_role("link", name="검토 및 제출").last.click()
        expect(page.locator("#submit-button")).to_be_visible()

        self.step("fault: Redis stopped while the company submits")
        self.services["redis"].stop()
        self.check(not self.redis_up(), "Redis is down")
        documents = []
        page.on("response", lambda r: documents.append((r.request.method, r.status, r.url))
                if r.request.resource_type == "document" else None)
        page.once("dialog", lambda dialog: dialog.accept())
        page.locator("#submit-button").click()
        page.wait_for_load_state()
        self.step(f"  the submission answered {documents}")
        self.check(documents != [] and documents[-1][1] == 200
                   and all(status < 400 for _m, status, _u in documents),
                   "the submission's pages answer (the last 200) while Redis is down")
        expect(page.locator("#receipt-number")).to_have_text(f"{CALL}-0001")
        self.step(f"  ok: receipt number {CALL}-0001")
        from applications.models import Application

        self.application_pk = Application.objects.get(company__name="스모크식품").pk
        self.step("fault: Redis back")
        self.services["redis"].start()
        self.wait_for(self.redis_up, "Redis to answer again", timeout=20)
        context.close()

    def score_and_award(self):
        import smoke_seed  # scripts/, beside this file

        self.step(f"seed: close {CALL} and score it: the company's application and {OTHERS} "
                  "others, three reviewers each (scripts/smoke_seed.py)")
        scored = smoke_seed.score_call(CALL, others=OTHERS)
        self.expected_notices = scored["applications"]
        self.check(scored["from_pages"] != [], "the company's application is scored")
        staff = smoke_seed.staff()

        from playwright.sync_api import expect

        self.step("journey: staff sign in (password, then the TOTP code) and start an award run")
        context = self.context()
        page = context.new_page()
        self.sign_in(page, staff["email"], staff["password"], staff["totp_secret"])
        page.goto("/manage/awards/")
        expect(page.locator("h1")).to_have_text("선정")
        page.locator("#award-calls tr", has_text="경상북도").get_by_role(
            "link", name="선정 산정").click()
        page.get_by_role("button", name="선정 산정 시작").click()
        expect(page.locator("#preview-note")).to_be_visible(timeout=90_000)
        self.step("journey: staff confirm the run: one notice per application "
                  f"({self.expected_notices})")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="확정 및 통지서 발송").click()
        expect(page.locator(".alert-success")).to_contain_text("산정을 확정했습니다.")
        self.kill_worker_during_notices()
        total = self.expected_notices
        counts = self.wait_for(lambda: (c := self.notice_counts()) == (total, total, total) and c,
                               f"all {total} notices generated and emailed", timeout=300,
                               interval=1)
        self.step(f"  ok: {counts[1]} notices generated, {counts[2]} emailed")
        page.reload()
        expect(page.locator("#notice-counts")).to_have_text(
            f"통지서 {total}건 중 {total}건 생성, {total}건 발송")
        self.step("  ok: the run's page says every notice is generated and sent")
        context.close()

    def notice_counts(self):
        from awards.models import Notice

        notices = Notice.objects.all()
        return (notices.count(), notices.filter(generated_at__isnull=False).count(),
                notices.filter(emailed_at__isnull=False).count())

    def kill_worker_during_notices(self):
        total = self.expected_notices
        counts = self.wait_for(lambda: (c := self.notice_counts())[1] >= 2 and c,
                               "the first notices to be generated", timeout=120, interval=0.1)
        self.step(f"fault: kill -9 the worker after {counts[1]} of {total} notices")
        self.services["worker"].kill()
        after = self.notice_counts()
        self.check(after[1] < total, f"the worker died mid-way ({after[1]} of {total} "
                   "generated)")
        time.sleep(2)
        self.step(f"fault: the worker starts again: {' '.join(self.services['worker'].argv)}")
        self.services["worker"].start()
        self.wait_worker()

    def company_downloads(self, port=None, restored=False):
        from playwright.sync_api import expect

        context = self.context(port)
        page = context.new_page()
        self.sign_in(page, COMPANY_EMAIL, PASSWORD)
        row = page.locator(".application-row")
        expect(row.locator(".receipt-number")).to_have_text(f"{CALL}-0001")
        notices = page.locator("#dashboard-notices li")
        expect(notices).to_have_count(1)
        with page.expect_download() as download:
            notices.get_by_role("link", name="PDF 내려받기").click()
        pdf = self.work / ("restored-notice.pdf" if restored else "notice.pdf")
        download.value.save_as(pdf)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              check=True, text=True).stdout
        where = "the restored portal: " if restored else ""
        self.check("스모크식품" in text, f"{where}the company sees its application {CALL}-0001 and "
                   f"downloads its notice ({pdf.stat().st_size} bytes, its name in the PDF)")
        if restored:
            page.goto(f"/applications/{self.application_pk}/documents/")
            links = page.locator('a[href*="/documents/"][href$="/"]:not([href$="/delete/"])')
            hrefs = [h for h in links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
                     if re.search(r"/documents/\d+/$", h)]
            got = {}
            for href in hrefs:
                response = context.request.get(href)
                self.expect_ok(response, f"the document {href}")
                got[href] = response.body()
            self.check(sorted(got.values()) == sorted(self.uploaded.values()),
                       f"the restored portal serves the company's {len(got)} documents as "
                       "uploaded")
        context.close()

    # -- 4. nothing lost, nothing sent twice
    def check_messages(self):
        from awards.models import Notice

        expected = 2 + self.expected_notices  # verification, submission, one per notice
        self.step(f"checks: every expected email once ({expected}), nothing sent later")
        self.wait_for(lambda: len({m.get(KEY_HEADER) for m in self.sink.snapshot()}
                                  - {None}) >= expected or None,
                      f"{expected} distinct emails", timeout=120, interval=0.5)
        drain = int(OUTBOX_ENV["OUTBOX_DRAIN_SECONDS"])
        quiet = int(OUTBOX_ENV["OUTBOX_REDELIVER_AFTER"]) + 3 * drain
        self.step(f"  waiting {quiet} s (redelivery delay and three drains) for late duplicates")
        received = self.tasks_received()
        time.sleep(quiet)
        # Once everything is done the worker only hears beat: one drain every few seconds.
        busy = self.tasks_received() - received
        self.check(busy <= 2 * quiet // drain + 5, f"the worker is idle once all is done "
                   f"({busy} tasks in {quiet} s, beat's drain every {drain} s)")
        messages = self.sink.snapshot()
        keys = Counter(m.get(KEY_HEADER) for m in messages)
        unkeyed = [str(m["Subject"]) for m in messages if m.get(KEY_HEADER) is None]
        twice = {k: n for k, n in keys.items() if k is not None and n > 1}
        self.step(f"  the sink holds {len(messages)} messages, {len(keys) - (None in keys)} "
                  f"outbox keys")
        self.check(unkeyed == [], f"every email carries {KEY_HEADER} (without: {unkeyed})")
        self.check(twice == {}, f"no email sent twice (twice: {twice})")
        self.check(len(keys) == expected, f"{expected} distinct emails: the verification, the "
                   f"submission's confirmation and {self.expected_notices} notices")
        ids = Counter(m.get("Message-ID") for m in messages)
        self.check(max(ids.values()) == 1, "every Message-ID once")
        notices = list(Notice.objects.all())
        missing = [n.pk for n in notices if not n.file or not Path(n.file.path).is_file()]
        self.check((len(notices), missing) == (self.expected_notices, []),
                   f"every notice generated ({len(notices)}, each PDF on disk)")
        self.check(all(n.emailed_at for n in notices), "every notice emailed")

    def tasks_received(self) -> int:
        log = self.services["worker"].log_path.read_text(errors="replace")
        return len(re.findall(r"\] received$", log, re.MULTILINE))

    # -- 5. backup and restore
    def backup_and_restore(self):
        self.step("backup: scripts/backup.sh (pg_dump -Fc, the media folder as a tar)")
        env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"{PG}/{DATABASE}",
               "MEDIA_ROOT": str(self.media)}
        out = self.run(["bash", str(ROOT / "scripts" / "backup.sh"), str(self.work / "backups")],
                       env=env, what="backup").stdout.strip().splitlines()[-1]
        self.check(sorted(p.name for p in Path(out).iterdir()) == [
            "SHA256SUMS", "database.dump", "media.tar"], f"the backup {out}")
        self.step(f"restore: scripts/restore.sh into a fresh database ({RESTORED}) and media "
                  "folder")
        self.fresh_database(RESTORED)
        restored_media = self.work / "media-restored"
        self.run(["bash", str(ROOT / "scripts" / "restore.sh"), out], what="restore",
                 env={**env, "DATABASE_URL": f"{PG}/{RESTORED}", "MEDIA_ROOT": str(restored_media)})
        self.step("restore: gunicorn (compose's web command) on the restored data")
        env = self.portal_env(database=RESTORED, media=restored_media,
                              web_port=self.restored_port, redis_db=(2, 3))
        argv = self.command("web", **{"0.0.0.0:8000": f"127.0.0.1:{self.restored_port}"})
        self.services["restored"] = Service("restored", argv, env=env, cwd=self.app,
                                            logs=self.logs).start()
        self.wait_healthy("restored", self.restored_port)
        self.company_downloads(self.restored_port, restored=True)

    # -- the whole run
    def main(self):
        try:
            self.build()
            self.start_services()
            self.start_portal()
            self.setup_django()
            self.step("seed: the 2025 programmes (manage.py load_demo --no-accounts, as the "
                      "README's production step)")
            self.run(["python", "manage.py", "load_demo", "--no-accounts"],
                     env=self.portal_env(), what="load_demo")
            self.start_browser()
            self.company_applies()
            self.wait_for(lambda: len(self.sink.to(COMPANY_EMAIL)) >= 2,
                          "the submission's confirmation email (sent once Redis is back)",
                          timeout=90)
            self.step("  ok: the confirmation email arrived after Redis came back")
            self.score_and_award()
            self.company_downloads()
            self.check_messages()
            self.backup_and_restore()
        except Exception as error:  # noqa: BLE001 (printed, then the run fails)
            print(f"\nSMOKE TEST FAILED: {type(error).__name__}: {error}", flush=True)
            for name, service in self.services.items():
                print(f"\n--- the end of {name}'s log ({service.log_path}):\n{service.tail()}")
            self.keep = True
            return 1
        finally:
            self.cleanup()
        self.step("the production smoke test passed")
        return 0

    def cleanup(self):
        running = [service for service in self.services.values() if service.alive()]
        for service in running:  # all at once: each shuts down in parallel
            service.signal(signal.SIGTERM)
        for service in running:
            service.stop()
        if self.smtp is not None:
            self.smtp.stop()
        if self.browser is not None:
            self.browser.close()
            self.playwright.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001, S110 (Django never set up)
            pass
        if self.keep:
            print(f"[smoke] kept: the working folder {self.work} and the databases "
                  f"{DATABASE}, {RESTORED}", flush=True)
            return
        shutil.rmtree(self.work, ignore_errors=True)
        for name in (DATABASE, RESTORED):
            subprocess.run(["psql", f"{PG}/postgres", "-qc",
                            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                           capture_output=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the working folder (build, logs, emails) and the databases")
    parser.add_argument("--commit", metavar="REV",
                        help="build from this commit (git archive) instead of the working tree")
    args = parser.parse_args(argv)
    # A CI timeout's SIGTERM still stops every process the test started (``finally``).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    return Smoke(keep=args.keep, commit=args.commit).main()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
