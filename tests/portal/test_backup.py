"""scripts/backup.sh and scripts/restore.sh refuse what would make a bad backup or damage a
restore, before they write anything. (The round trip on PostgreSQL — dump, restore into a
fresh database and media folder, the portal serves the restored data — is in `make smoke`.)"""

import hashlib
import subprocess
from pathlib import Path

from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "scripts"
DATABASE = "postgres://nobody@127.0.0.1:9/nowhere"  # never reached: the checks come first


def run(script, *args, **env):
    return subprocess.run(["bash", str(SCRIPTS / script), *args], capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", **env}, timeout=60)


def backup_folder(tmp_path, media_tar=b"tar"):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"dump")
    (folder / "media.tar").write_bytes(b"tar")
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in (("database.dump", b"dump"), ("media.tar", b"tar")))
    (folder / "SHA256SUMS").write_text(sums)
    (folder / "media.tar").write_bytes(media_tar)
    return folder


def test_backup_usage_without_destination():
    result = run("backup.sh", DATABASE_URL=DATABASE, MEDIA_ROOT="/tmp")
    assert (result.returncode, result.stderr) == (
        2, "usage: DATABASE_URL=postgres://… MEDIA_ROOT=… scripts/backup.sh DEST\n")


def test_backup_refuses_without_database_url(tmp_path):
    result = run("backup.sh", str(tmp_path / "out"), MEDIA_ROOT=str(tmp_path))
    assert (result.returncode, result.stderr) == (
        1, "backup: set DATABASE_URL to the PostgreSQL database of the portal (postgres://…)\n")
    assert not (tmp_path / "out").exists()


def test_backup_refuses_a_missing_media_folder(tmp_path):
    result = run("backup.sh", str(tmp_path / "out"), DATABASE_URL=DATABASE,
                 MEDIA_ROOT=str(tmp_path / "media"))
    assert (result.returncode, result.stderr) == (
        1, f"backup: the media folder {tmp_path / 'media'} does not exist\n")
    assert not (tmp_path / "out").exists()


def test_restore_refuses_a_damaged_backup(tmp_path):
    folder = backup_folder(tmp_path, media_tar=b"tampered")
    result = run("restore.sh", str(folder), DATABASE_URL=DATABASE,
                 MEDIA_ROOT=str(tmp_path / "media"))
    assert (result.returncode, result.stderr.splitlines()[-1]) == (
        1, f"restore: the checksums of {folder} do not match: the backup is damaged")
    assert not (tmp_path / "media").exists()


def test_restore_refuses_an_incomplete_backup(tmp_path):
    folder = backup_folder(tmp_path)
    (folder / "SHA256SUMS").unlink()
    result = run("restore.sh", str(folder), DATABASE_URL=DATABASE,
                 MEDIA_ROOT=str(tmp_path / "media"))
    assert (result.returncode, result.stderr) == (
        1, f"restore: {folder}/SHA256SUMS is missing: not a complete backup\n")


def test_restore_refuses_a_media_folder_in_use(tmp_path):
    folder = backup_folder(tmp_path)
    media = tmp_path / "media"
    (media / "notices").mkdir(parents=True)
    (media / "notices" / "kept.pdf").write_bytes(b"%PDF")
    result = run("restore.sh", str(folder), DATABASE_URL=DATABASE, MEDIA_ROOT=str(media))
    assert (result.returncode, result.stderr) == (
        1, f"restore: the media folder {media} is not empty: restore into a fresh one\n")
    assert sorted(p.name for p in media.rglob("*")) == ["kept.pdf", "notices"]
