import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_a_database_with_migrations_that_no_longer_exist_is_refused_with_what_to_do():
    MigrationRecorder(connection).record_applied("applications", "0003_clusters")

    with pytest.raises(CommandError) as refused:
        call_command("check_migration_history")

    assert "applications.0003_clusters" in str(refused.value)
    assert "run `make clean`" in str(refused.value)


def test_the_current_history_passes(capsys):
    call_command("check_migration_history")

    assert capsys.readouterr().out == "The database's migration history matches this checkout.\n"
