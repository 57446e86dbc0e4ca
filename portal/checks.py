"""System checks of the portal itself.

The Korean PDF notices need a font with Hangul glyphs; without one WeasyPrint silently draws
boxes. ``manage.py check`` (run by ``make run`` and ``make test``) warns clearly instead.
"""

import shutil
import subprocess

from django.core.checks import Error, Warning, register

from . import production


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


@register()
def check_notice_fonts(app_configs, **kwargs):
    """The notices' own prepared Hangul font (awards/fonts.py): ready, preparable, or neither."""
    from awards import fonts

    if len(fonts.prepared_fonts()) == len(fonts.FONTS):
        return []
    if all(fonts.find_source(source) for _name, source in fonts.FONTS.values()):
        return [
            Warning(
                f"The notice fonts are not prepared in {fonts.font_dir()}: the first notice "
                "a process renders prepares them.",
                hint="Run 'manage.py prepare_notice_fonts' (make run and make test do).",
                id="portal.W002",
            )
        ]
    return [
        Warning(
            "NanumGothic is not installed, so the notice fonts cannot be prepared: notices "
            "fall back to any Hangul font fontconfig finds, which can be many times slower "
            "(Noto Sans CJK: about 9 s a notice) or print boxes when there is none.",
            hint="Install Debian's fonts-nanum (apt-get install fonts-nanum), then run "
            "'manage.py prepare_notice_fonts'.",
            id="portal.W003",
        )
    ]


@register()
def check_production_delivers(app_configs, **kwargs):
    """With DEBUG off: an email backend that delivers and a Celery broker."""
    return [Error(message, id=check_id) for check_id, message in production.refusals()]
