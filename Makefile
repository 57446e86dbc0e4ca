# Two commands do all the set-up: `make run` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the portal and its tests use: libmagic (file sniffing), pango (WeasyPrint),
# a Hangul font (Korean PDF notices), gettext (catalogues), Chromium (end-to-end tests),
# poppler-utils (pdftotext in the notice tests).
APT_RUN := libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-nanum gettext
APT_TEST := $(APT_RUN) chromium poppler-utils

.PHONY: run test venv system-deps system-deps-test migrate demo serve lint messages check-messages clean fonts bench lock smoke backup

# The virtualenv holds exactly the versions of the lock file (requirements/test.txt: the
# production dependencies plus the test extra), as the image and CI do.
$(VENV)/.installed: requirements/test.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q --require-hashes -r requirements/test.txt
	touch $@

venv: $(VENV)/.installed

# The lock files, from pyproject.toml: requirements/production.txt (the image) and
# requirements/test.txt (with the test extra: make venv, CI). Run after changing a dependency;
# existing pins are kept unless asked: `make lock LOCK_ARGS=--upgrade`.
LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS) pyproject.toml
lock: venv
	$(LOCK) -o requirements/production.txt
	$(LOCK) --extra test -o requirements/test.txt

# Installs missing Debian packages when it can (root with apt-get); otherwise says what is missing.
system-deps:
	@bash scripts/system-deps.sh $(APT_RUN)

system-deps-test:
	@bash scripts/system-deps.sh $(APT_TEST)

migrate: venv
	$(PY) manage.py check_migration_history
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The notices' Hangul font: NanumGothic without its hinting-source tables (awards/fonts.py).
fonts: venv
	$(PY) manage.py prepare_notice_fonts

run: system-deps venv fonts demo
	$(PY) manage.py check
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite: lint, the import layers (.importlinter), migrations in step, catalogues complete, then pytest (end-to-end
# journeys included). DATABASE_URL / CELERY_BROKER_URL / REDIS_URL pick PostgreSQL and Redis.
test: system-deps-test venv fonts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The production path, end to end (scripts/smoke.py): the image's build, the compose file's
# commands (gunicorn, worker, beat) on PostgreSQL, a Redis of its own and an SMTP sink, one
# Chromium journey with a killed worker and a Redis outage, then a backup restored and served.
# SMOKE_ARGS=--keep keeps its folder (logs, emails) and databases; --commit HEAD builds a commit.
smoke: system-deps-test venv
	$(PY) scripts/smoke.py $(SMOKE_ARGS)

# A backup of the PostgreSQL database named by DATABASE_URL (pg_dump -Fc) and of the media
# folder (tar) into BACKUP_DIR (scripts/backup.sh; restore with scripts/restore.sh).
BACKUP_DIR ?= backups
backup:
	MEDIA_ROOT="$${MEDIA_ROOT:-var/media}" bash scripts/backup.sh $(BACKUP_DIR)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Refresh the catalogues after changing strings, then translate and run `make messages` again.
# Each app keeps its own catalogue (<app>/locale); the site shell's (portal/, templates/) is
# locale/ (see LOCALE_PATHS). Korean is translated by hand; English msgstr stay empty (the
# source strings are English).
# `make messages APP=reviews` refreshes that app's catalogue only (APP=portal: the shell's).
MESSAGE_IGNORES := tests .venv staticfiles var bench scripts build
ifdef APP
# (the site's own templates/ folder is matched as templates/*.*, so that <app>/templates stays in)
# (outbox/ has no catalogue of its own: its strings are the shell's, so only APP=portal reads it)
MESSAGE_IGNORES += $(patsubst templates,templates/*.*,$(filter-out $(APP) $(if $(filter portal,$(APP)),templates outbox),accounts programs companies applications clusters reviews awards inquiries alerts results api projects settlement portal templates outbox))
endif
messages: venv
	$(PY) manage.py makemessages -l ko -l en --no-obsolete --no-location $(foreach d,$(MESSAGE_IGNORES),--ignore=$(d))
	$(PY) manage.py compilemessages --ignore=.venv

# Benchmarks of the awards (figures, not tests): an award run over 10,000 scored applications
# and notice rendering. Set DATABASE_URL to PostgreSQL for the figures that matter.
bench: venv fonts
	$(PY) bench/award_run.py
	$(PY) bench/notices.py

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles
