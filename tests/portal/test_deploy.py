"""Production configuration: ``check --deploy`` passes with no warning, the embedded default
works with nothing set, and the Hangul font check warns when no Korean font is installed."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import Client, override_settings

from portal import checks
from tests.portal.clean_env import PASSED_THROUGH, PRODUCTION_ENV, manage


def test_production_configuration_passes_check_deploy_without_warning(tmp_path):
    # As the Dockerfile does: the notices' font is prepared at build time (awards/fonts.py).
    env = {**PRODUCTION_ENV, "NOTICE_FONT_DIR": str(tmp_path / "fonts")}
    assert manage("prepare_notice_fonts", env=env).returncode == 0
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.stderr == ""
    assert (result.returncode, result.stdout.strip()) == (
        0, "System check identified no issues (0 silenced).")


def test_production_settings_values():
    code = ("from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
            "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
            "s.CACHES['default']['BACKEND'], s.STORAGES['staticfiles']['BACKEND'], "
            "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_USE_TLS)")
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == [
        "False", "True", "True", "True", "31536000", "True", "True",
        "django.db.backends.postgresql", "False",
        "portal.cache.ResilientRedisCache",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.kr", "True"]


def test_production_refuses_the_embedded_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DEBUG is off: set SECRET_KEY to 50 or "
        "more random characters.")


EMAIL_REFUSED = ("portal.E001", "DEBUG is off: set EMAIL_URL to an SMTP server "
                 "(smtp+tls://user:password@host:587); this backend would never deliver an "
                 "email.")
BROKER_REFUSED = ("portal.E002", "DEBUG is off: set CELERY_BROKER_URL (redis://host:6379/0); "
                  "without a broker every task would run inside the web request.")
REFUSALS = [
    ({"EMAIL_URL": None}, EMAIL_REFUSED),
    ({"EMAIL_URL": ""}, EMAIL_REFUSED),
    ({"EMAIL_URL": "consolemail://"}, EMAIL_REFUSED),
    ({"EMAIL_URL": "dummymail://"}, EMAIL_REFUSED),
    ({"EMAIL_URL": "memorymail://"}, EMAIL_REFUSED),
    ({"EMAIL_URL": "filemail:///tmp/mail"}, EMAIL_REFUSED),
    ({"CELERY_BROKER_URL": None}, BROKER_REFUSED),
    ({"CELERY_BROKER_URL": ""}, BROKER_REFUSED),
]


def production_env(changed):
    return {k: v for k, v in {**PRODUCTION_ENV, **changed}.items() if v is not None}


@pytest.mark.parametrize(("changed", "refusal"), REFUSALS)
def test_manage_py_checks_refuse_production_without_email_and_broker(changed, refusal):
    check_id, message = refusal
    result = manage("check", env=production_env(changed))
    assert result.returncode == 1
    assert f"?: ({check_id}) {message}" in result.stderr


@pytest.mark.parametrize(("changed", "refusal"), REFUSALS)
def test_gunicorn_refuses_to_load_the_portal_without_email_and_broker(changed, refusal):
    """gunicorn runs no system check: loading portal.wsgi refuses."""
    base = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    result = subprocess.run([sys.executable, "-c", "import portal.wsgi"],
                            cwd=settings.BASE_DIR, env={**base, **production_env(changed)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: {refusal[1]}")


def test_celery_worker_and_beat_refuse_to_start_without_a_broker():
    from celery.signals import beat_init, celeryd_init
    from django.core.exceptions import ImproperlyConfigured

    from portal import celery as portal_celery

    receivers = {r[1]() for r in celeryd_init.receivers} | {r[1]() for r in beat_init.receivers}
    assert portal_celery._refuse_without_email_or_broker in receivers
    with override_settings(DEBUG=False, CELERY_BROKER_URL="",
                           EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"), \
            pytest.raises(ImproperlyConfigured) as refused:
        portal_celery._refuse_without_email_or_broker()
    assert str(refused.value) == BROKER_REFUSED[1]


def test_build_steps_run_with_debug_off_and_nothing_else(tmp_path):
    """The image's build: compilemessages, collectstatic and the notice fonts need no mail
    server and no broker."""
    env = {"DEBUG": "off", "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
           "STATIC_ROOT": str(tmp_path / "static"), "NOTICE_FONT_DIR": str(tmp_path / "fonts")}
    for command in (["collectstatic", "--noinput"], ["prepare_notice_fonts"]):
        result = manage(*command, env=env)
        assert (result.returncode, result.stderr) == (0, "")


def test_embedded_default_needs_no_variable():
    code = ("from django.conf import settings as s; print(s.DEBUG, "
            "s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, "
            "s.STORAGES['default']['BACKEND'])")
    result = manage("shell", "--no-imports", "-c", code, env={})
    assert result.stdout.split() == [
        "True", "django.db.backends.sqlite3", "True",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.files.storage.FileSystemStorage"]


def test_pages_carry_content_security_policy_and_no_inline_script(db):
    response = Client().get("/announcements/")
    policy = dict(part.strip().split(" ", 1)
                  for part in response["Content-Security-Policy"].split(";"))
    assert (policy["default-src"], policy["script-src"], policy["style-src"],
            policy["object-src"], policy["frame-ancestors"]) == (
        "'self'", "'self'", "'self'", "'none'", "'none'")
    html = response.content.decode()
    # htmx, Bootstrap, portal.js, money.js, unsaved.js: all files, none inline.
    assert html.count("<script") == html.count("<script src=") == 5
    assert " style=" not in html and " onclick=" not in html
    assert (response["X-Frame-Options"], response["X-Content-Type-Options"]) == (
        "DENY", "nosniff")


def test_hangul_font_check_warns_when_no_font(monkeypatch):
    monkeypatch.setattr(checks, "hangul_fonts", lambda: [])
    warnings = checks.check_hangul_font(None)
    assert [(w.id, w.msg) for w in warnings] == [(
        "portal.W001",
        "No font with Hangul glyphs was found: Korean PDF notices would print boxes instead "
        "of text.")]
    assert "portal.W001" in [m.id for m in run_checks()]


def test_hangul_font_check_silent_when_a_font_exists(monkeypatch):
    monkeypatch.setattr(checks, "hangul_fonts", lambda: ["NanumGothic"])
    assert checks.check_hangul_font(None) == []
    assert "portal.W001" not in [m.id for m in run_checks()]


def test_hangul_fonts_empty_without_fontconfig(monkeypatch):
    monkeypatch.setattr(checks.shutil, "which", lambda name: None)
    assert checks.hangul_fonts() == []


def test_hangul_fonts_found_on_this_machine():
    # make test installs fonts-nanum (Makefile APT_RUN), as the Dockerfile does.
    assert "NanumGothic" in checks.hangul_fonts()


@pytest.mark.parametrize("path", ["/", "/announcements/"])
def test_pages_in_korean_by_default(db, path):
    response = Client().get(path)
    assert (response.status_code, response["Content-Language"]) == (200, "ko")


def test_celery_app_reads_broker_from_environment():
    code = ("from portal.celery import app; app.loader.import_default_modules(); "
            "print(app.conf.broker_url, app.conf.task_always_eager, app.conf.timezone, "
            "app.conf.task_acks_late, app.main)")
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION_ENV)
    assert result.stdout.split() == [
        "redis://redis.example.kr:6379/0", "False", "Asia/Seoul", "True", "portal"]


def test_celery_runs_tasks_eagerly_without_a_broker():
    code = "from portal.celery import app; print(app.conf.task_always_eager)"
    assert manage("shell", "--no-imports", "-c", code, env={}).stdout.split() == ["True"]
