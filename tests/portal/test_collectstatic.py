"""The image's build step: ``collectstatic`` with the manifest storage (DEBUG off), which
rewrites every ``url()`` and ``sourceMappingURL`` to a hashed name and fails on a missing file."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.portal.clean_env import PRODUCTION_ENV, manage

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor"
VENDORED = ["bootstrap/bootstrap.min.css", "bootstrap/bootstrap.bundle.min.js",
            "htmx/htmx.min.js"]
SOURCE_MAP = re.compile(r"[#@] sourceMappingURL=(\S+?)(?: \*/)?$", re.MULTILINE)


@pytest.mark.parametrize("path", VENDORED)
def test_vendored_asset_source_map_exists(path):
    maps = SOURCE_MAP.findall((VENDOR / path).read_text())
    assert [(VENDOR / path).parent.joinpath(m).is_file() for m in maps] == [True] * len(maps)


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    root = tmp_path / "static"
    result = manage("collectstatic", "--noinput", env={**PRODUCTION_ENV,
                                                      "STATIC_ROOT": str(root)})
    assert (result.returncode, result.stderr) == (0, "")
    paths = json.loads((root / "staticfiles.json").read_text())["paths"]
    bundle = (root / paths["vendor/bootstrap/bootstrap.bundle.min.js"]).read_text()
    css = (root / paths["vendor/bootstrap/bootstrap.min.css"]).read_text()
    assert SOURCE_MAP.findall(bundle) == [
        Path(paths["vendor/bootstrap/bootstrap.bundle.min.js.map"]).name]
    assert SOURCE_MAP.findall(css) == [Path(paths["vendor/bootstrap/bootstrap.min.css.map"]).name]
    assert (root / paths["vendor/htmx/htmx.min.js"]).is_file()
    assert (root / paths["vendor/bootstrap/bootstrap.min.css"]).with_suffix(".css.gz").is_file()
