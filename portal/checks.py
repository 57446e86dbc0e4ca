"""System checks of the portal itself.

The Korean PDF notices need a font with Hangul glyphs; without one WeasyPrint silently draws
boxes. ``manage.py check`` (run by ``make run`` and ``make test``) warns clearly instead.
"""

import shutil
import subprocess

from django.core.checks import Warning, register


def hangul_fonts():
    """Font families fontconfig can find that cover Hangul (Korean)."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=ko", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(",")[0].strip() for line in out.splitlines() if line.strip()})


@register()
def check_hangul_font(app_configs, **kwargs):
    if hangul_fonts():
        return []
    return [
        Warning(
            "No font with Hangul glyphs was found: Korean PDF notices would print boxes "
            "instead of text.",
            hint="Install Debian's fonts-nanum (apt-get install fonts-nanum), then run "
            "'fc-cache -f'.",
            id="portal.W001",
        )
    ]
