"""Refuse a database made by an older checkout whose migrations no longer exist.

The migrations were rebuilt from scratch when the apps were split (companies, applications,
clusters); a database migrated before that records migrations that are gone, and Django's own
error (InconsistentMigrationHistory) does not say what to do. ``make migrate`` runs this first.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader


class Command(BaseCommand):
    help = "Fail with what to do when the database records migrations this checkout lacks."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        loader = MigrationLoader(connections[database], ignore_no_migrations=True)
        unknown = sorted(set(loader.applied_migrations) - set(loader.disk_migrations))
        if unknown:
            names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            raise CommandError(
                f"This database was made by an older version of the portal: it records "
                f"migrations that no longer exist ({names}). The migrations were rebuilt; "
                f"run `make clean` (it deletes the embedded database, db.sqlite3, and var/) "
                f"and then `make run` again. A PostgreSQL database: drop and create it.")
        self.stdout.write("The database's migration history matches this checkout.")
