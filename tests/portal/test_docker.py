"""The Docker image and the compose stack, checked without a Docker engine: the compose file
is loaded as YAML and its services, commands, health checks and order asserted."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from portal import healthcheck

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def test_compose_has_the_services(services):
    assert sorted(services) == [
        "backup", "beat", "migrate", "postgres", "redis", "web", "worker"]


def test_compose_database_and_broker_images(services):
    assert (services["postgres"]["image"], services["redis"]["image"]) == ("postgres:16",
                                                                           "redis:7")


def test_compose_commands(services):
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["web"]["command"] == [
        "gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout",
        "60", "--access-logfile", "-"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = dockerfile[dockerfile.index("CMD [") + 4:].replace("\\\n", "")
    assert json.loads(cmd) == services["web"]["command"]
    assert services["worker"]["command"] == [
        "celery", "-A", "portal", "worker", "--loglevel", "info", "--concurrency", "2"]
    assert services["beat"]["command"] == [
        "celery", "-A", "portal", "beat", "--loglevel", "info",
        "--schedule", "/tmp/celerybeat-schedule"]


def test_compose_every_long_running_service_has_a_health_check(services):
    tests = {name: service["healthcheck"]["test"] for name, service in services.items()
             if name not in ("migrate", "backup")}
    assert tests == {
        "postgres": ["CMD-SHELL", "pg_isready -U portal -d portal"],
        "redis": ["CMD", "redis-cli", "ping"],
        "web": ["CMD", "python", "-m", "portal.healthcheck", "web"],
        "worker": ["CMD-SHELL",
                   "celery -A portal inspect ping --destination celery@$$HOSTNAME --timeout 10"],
        "beat": ["CMD", "python", "-m", "portal.healthcheck", "beat"],
    }


def test_compose_start_order_waits_for_health(services):
    conditions = {name: {dep: spec["condition"] for dep, spec in
                         service.get("depends_on", {}).items()}
                  for name, service in services.items()}
    assert conditions == {
        "postgres": {},
        "redis": {},
        "migrate": {"postgres": "service_healthy"},
        "web": {"postgres": "service_healthy", "redis": "service_healthy",
                "migrate": "service_completed_successfully"},
        "worker": {"postgres": "service_healthy", "redis": "service_healthy",
                   "migrate": "service_completed_successfully"},
        "beat": {"redis": "service_healthy", "migrate": "service_completed_successfully"},
        "backup": {"postgres": "service_healthy"},
    }


def test_compose_portal_services_share_one_environment(services):
    envs = [services[name]["environment"] for name in ("migrate", "web", "worker", "beat")]
    assert envs[0] == envs[1] == envs[2] == envs[3]
    env = envs[0]
    assert (env["DEBUG"], env["DATABASE_URL"], env["CELERY_BROKER_URL"], env["REDIS_URL"]) == (
        "off", "postgres://portal:${POSTGRES_PASSWORD:?Set POSTGRES_PASSWORD in .env}"
        "@postgres:5432/portal", "redis://redis:6379/0", "redis://redis:6379/1")
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["EMAIL_URL"].startswith("${EMAIL_URL:?")
    assert env["ALLOWED_HOSTS"] == "${ALLOWED_HOSTS:-localhost,127.0.0.1}"
    assert sorted(env) == sorted([
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SITE_URL",
        "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL",
        "MEDIA_ROOT", "SECURE_SSL_REDIRECT"])


def test_compose_database_password_has_no_default(services):
    # ${VAR:?message} makes compose refuse to start when the variable is unset or empty.
    text = (ROOT / "docker-compose.yml").read_text()
    assert (text.count("${POSTGRES_PASSWORD"), text.count("${POSTGRES_PASSWORD:?")) == (3, 3)
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == (
        "${POSTGRES_PASSWORD:?Set POSTGRES_PASSWORD in .env}")


def test_compose_web_and_worker_share_uploaded_files(services):
    assert services["web"]["volumes"] == services["worker"]["volumes"] == [
        "media:/app/var/media"]
    assert services["backup"]["volumes"] == [
        "media:/app/var/media", "./scripts:/scripts:ro", "./backups:/backups"]
    assert services["postgres"]["volumes"] == ["postgres:/var/lib/postgresql/data"]


def test_compose_migrates_once_per_release_not_in_web(services):
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in " ".join(services[name]["command"]), name


def test_compose_backup_runs_only_when_asked(services):
    assert (services["backup"]["profiles"], services["backup"]["command"]) == (
        ["backup"], ["bash", "/scripts/backup.sh", "/backups"])


def test_compose_portal_services_read_the_rest_of_env_file(services):
    for name in ("migrate", "web", "worker", "beat"):
        assert services[name]["env_file"] == [{"path": ".env", "required": False}], name


def test_dockerfile_installs_system_packages_and_the_project():
    lines = (ROOT / "Dockerfile").read_text()
    assert lines.splitlines()[2] == "FROM python:3.11-slim-bookworm"
    assert ("libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-nanum gettext") in lines
    for step in ("COPY requirements/production.txt requirements/",
                 "RUN bash scripts/build.sh deps", "COPY . .", "RUN bash scripts/build.sh assets",
                 "USER portal", "ENV DEBUG=off"):
        assert step in lines, step
    assert lines.index("build.sh deps") < lines.index("COPY . .") < lines.index(
        "build.sh assets")
    assert "pip install" not in lines
    assert lines.rstrip().endswith('CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", '
                                   '"--workers", "3", \\\n     "--timeout", "60", '
                                   '"--access-logfile", "-"]')


def test_build_script_runs_the_production_build_steps():
    script = (ROOT / "scripts" / "build.sh").read_text()
    for step in ('pip install --no-deps --require-hashes -r requirements/production.txt',
                 "manage.py compilemessages", "manage.py collectstatic --noinput",
                 "manage.py prepare_notice_fonts", "DEBUG=off"):
        assert step in script, step


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for path in (".git", ".venv", ".env", "db.sqlite3", "var", "staticfiles", "backups"):
        assert path in ignored


def test_web_health_check_passes_against_a_live_server(live_server, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert healthcheck.web(f"{live_server.url}/", host="localhost") is True


def test_web_health_check_fails_when_nothing_listens():
    assert healthcheck.web("http://127.0.0.1:9/", host="localhost", timeout=1) is False


def test_beat_health_check_finds_a_beat_process(tmp_path):
    (tmp_path / "12").mkdir()
    (tmp_path / "12" / "cmdline").write_bytes(
        b"/usr/local/bin/python\0/usr/local/bin/celery\0-A\0portal\0beat\0")
    assert healthcheck.beat(tmp_path) is True


def test_beat_health_check_fails_without_beat(tmp_path):
    (tmp_path / "12").mkdir()
    (tmp_path / "12" / "cmdline").write_bytes(b"/usr/local/bin/celery\0-A\0portal\0worker\0")
    assert healthcheck.beat(tmp_path) is False


def test_health_check_usage_error():
    assert healthcheck.main(["nothing"]) == 2


def documented_variables():
    lines = (ROOT / ".env.example").read_text().splitlines()
    return [m.group(1) for m in map(re.compile(r"^(?:# )?([A-Z][A-Z0-9_]+)=").match, lines) if m]


def test_env_example_documents_every_variable_the_settings_read():
    settings_py = (ROOT / "portal" / "settings.py").read_text()
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", settings_py))
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "CELERY_BROKER_URL"} <= read
    assert sorted(read - set(documented_variables())) == []


def test_env_example_documents_every_variable_compose_reads():
    text = (ROOT / "docker-compose.yml").read_text()
    read = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", text))
    assert sorted(read - set(documented_variables())) == []
    assert len(documented_variables()) == len(set(documented_variables()))


def test_env_example_holds_no_secret():
    values = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                  if re.match(r"^[A-Z]", line))
    assert (values["SECRET_KEY"], values["POSTGRES_PASSWORD"], values["EMAIL_URL"]) == ("", "", "")
