#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into a fresh database and a fresh media folder.
#
#   createdb portal_restored    # (or drop and create the database again: it must be empty)
#   DATABASE_URL=postgres://user:pass@host:5432/portal_restored MEDIA_ROOT=/app/var/media \
#       scripts/restore.sh BACKUP_FOLDER
#
# Everything is checked before anything is written: the checksums of the backup, an empty (or
# absent) media folder, a database with no table. The dump is restored in one transaction
# (all or nothing), then the media folder is unpacked. Start the portal on the restored
# database afterwards (`manage.py migrate` first when the code is newer than the backup).
set -euo pipefail

backup="${1:-}"
if [ -z "$backup" ] || [ $# -ne 1 ]; then
  echo "usage: DATABASE_URL=postgres://… MEDIA_ROOT=… scripts/restore.sh BACKUP_FOLDER" >&2
  exit 2
fi
if [ -z "${DATABASE_URL:-}" ]; then
  echo "restore: set DATABASE_URL to the (empty) database to restore into (postgres://…)" >&2
  exit 1
fi
if [ -z "${MEDIA_ROOT:-}" ]; then
  echo "restore: set MEDIA_ROOT to the (empty) media folder to restore into" >&2
  exit 1
fi

for name in database.dump media.tar SHA256SUMS; do
  if [ ! -f "$backup/$name" ]; then
    echo "restore: $backup/$name is missing: not a complete backup" >&2
    exit 1
  fi
done
if ! (cd "$backup" && sha256sum --check --quiet SHA256SUMS); then
  echo "restore: the checksums of $backup do not match: the backup is damaged" >&2
  exit 1
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore: the media folder $MEDIA_ROOT is not empty: restore into a fresh one" >&2
  exit 1
fi
database_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(postgres|postgresql|pgsql|psql)://#postgresql://#')"
tables="$(psql "$database_url" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")"
if [ "$tables" != "0" ]; then
  echo "restore: the database already has $tables tables: restore into a fresh (empty) one" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$database_url" "$backup/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xf "$backup/media.tar"
echo "restored $backup into the database and $MEDIA_ROOT"
