#!/usr/bin/env bash
# A backup of the portal: the database and the media folder (uploaded files and notices,
# which the database refers to), taken together.
#
#   DATABASE_URL=postgres://user:pass@host:5432/portal MEDIA_ROOT=/app/var/media \
#       scripts/backup.sh DEST
#
# writes DEST/<UTC time>/ with database.dump (pg_dump -Fc), media.tar (the media folder) and
# SHA256SUMS, and prints that folder. The database is dumped first, so every file the dump
# refers to is in the tar (files are only ever added while the portal runs). A failed backup
# leaves DEST/<time>.partial, never a folder that looks complete. Restore with
# scripts/restore.sh. In the compose stack: `docker compose run --rm backup` (README).
set -euo pipefail

dest="${1:-}"
if [ -z "$dest" ] || [ $# -ne 1 ]; then
  echo "usage: DATABASE_URL=postgres://… MEDIA_ROOT=… scripts/backup.sh DEST" >&2
  exit 2
fi
if [ -z "${DATABASE_URL:-}" ]; then
  echo "backup: set DATABASE_URL to the PostgreSQL database of the portal (postgres://…)" >&2
  exit 1
fi
if [ -z "${MEDIA_ROOT:-}" ]; then
  echo "backup: set MEDIA_ROOT to the media folder of the portal" >&2
  exit 1
fi
if [ ! -d "$MEDIA_ROOT" ]; then
  echo "backup: the media folder $MEDIA_ROOT does not exist" >&2
  exit 1
fi
# django-environ's schemes (postgres://, pgsql://, psql://) as libpq spells them.
database_url="$(printf '%s' "$DATABASE_URL" | sed -E 's#^(postgres|postgresql|pgsql|psql)://#postgresql://#')"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$dest/$stamp"
if [ -e "$out" ]; then
  echo "backup: $out exists already" >&2
  exit 1
fi
mkdir -p "$out.partial"
pg_dump --format=custom --no-owner --no-privileges --file="$out.partial/database.dump" \
  "$database_url"
tar -C "$MEDIA_ROOT" -cf "$out.partial/media.tar" .
(cd "$out.partial" && sha256sum database.dump media.tar > SHA256SUMS)
mv "$out.partial" "$out"
echo "$out"
