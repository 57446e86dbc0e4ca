"""The Hangul font of the PDF notices, prepared once so that notices stay fast.

WeasyPrint embeds a subset of every font a PDF uses. NanumGothic (OFL, Debian's fonts-nanum)
carries about 4 MB of *hinting source* tables (TSI0–TSI5, the VTT editor's sources, never used
to draw a glyph). When WeasyPrint subsets with fontTools (no libharfbuzz-subset), they are
carried through and a notice takes about 0.8 s instead of 0.3 s; CJK fonts such as Noto Sans
CJK are slower still (about 9 s). So ``prepare_fonts`` copies NanumGothic regular and bold
without those tables into ``settings.NOTICE_FONT_DIR`` (``manage.py prepare_notice_fonts``,
run by ``make run`` and ``make test``; the renderer also prepares them on first use). The
glyphs, metrics and real hinting (fpgm, prep, cvt) are untouched, so the text looks the same.

The notice stylesheet loads these two files with ``@font-face`` through a URL fetcher that
reads nothing else; when they cannot be prepared it falls back to whatever Hangul font
fontconfig has, and ``manage.py check`` warns.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib import request

from django.conf import settings
from weasyprint.urls import URLFetcher

FAMILY = "NoticeGothic"
# weight → (prepared file name, source file name)
FONTS = {
    "normal": ("NoticeGothic-Regular.ttf", "NanumGothic.ttf"),
    "bold": ("NoticeGothic-Bold.ttf", "NanumGothicBold.ttf"),
}
HINTING_SOURCE_TABLES = ("TSI0", "TSI1", "TSI2", "TSI3", "TSI4", "TSI5")
DEFAULT_SOURCE_DIRS = ("/usr/share/fonts/truetype/nanum", "/usr/share/fonts/nanum",
                       "/usr/local/share/fonts")


def font_dir() -> Path:
    return Path(settings.NOTICE_FONT_DIR)


def find_source(file_name: str) -> Path | None:
    """The installed NanumGothic file of that name: in ``settings.NOTICE_FONT_SOURCE_DIRS``
    when set, else in the usual folders or wherever fontconfig knows it."""
    configured = getattr(settings, "NOTICE_FONT_SOURCE_DIRS", None)
    for folder in configured if configured is not None else DEFAULT_SOURCE_DIRS:
        candidate = Path(folder) / file_name
        if candidate.is_file():
            return candidate
    if configured is None and shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", "NanumGothic", "file"], capture_output=True,
                                 text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        for line in out.splitlines():
            path = Path(line.split(":")[0].strip())
            if path.name == file_name and path.is_file():
                return path
    return None


def prepared_fonts() -> dict[str, Path]:
    """The prepared files that exist, by weight."""
    folder = font_dir()
    return {weight: folder / name for weight, (name, _source) in FONTS.items()
            if (folder / name).is_file()}


def strip_hinting_sources(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` without the TSI* tables, atomically."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), lazy=True)
    for tag in HINTING_SOURCE_TABLES:
        if tag in font:
            del font[tag]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.save(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def prepare_fonts(*, force: bool = False) -> dict[str, Path]:
    """Prepare the notice fonts that are missing (all of them with ``force``)."""
    folder = font_dir()
    for _weight, (name, source_name) in FONTS.items():
        target = folder / name
        if target.is_file() and not force:
            continue
        source = find_source(source_name)
        if source is None:
            continue
        strip_hinting_sources(source, target)
    return prepared_fonts()


_ensured = False


def ensure_fonts() -> dict[str, Path]:
    """The prepared fonts, preparing them the first time a process needs them."""
    global _ensured
    fonts = prepared_fonts()
    if len(fonts) < len(FONTS) and not _ensured:
        fonts = prepare_fonts()
    _ensured = True
    return fonts


def font_face_css(fonts: dict[str, Path]) -> str:
    """``@font-face`` rules for the prepared files (relative to the font folder)."""
    return "".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
        f'src: url("{path.name}") format("truetype"); }}\n'
        for weight, path in fonts.items()
    )


class NoticeURLFetcher(URLFetcher):
    """Fetches only ``data:`` URIs (the QR code) and the prepared font files.

    Notices include text companies typed; whatever it holds, rendering one never reads
    another file or opens a network connection.
    """

    def __init__(self, folder: Path):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.folder = Path(folder).resolve()

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(request.url2pathname(url.split("?")[0][len("file:"):])).resolve()
            if path.parent != self.folder or path.suffix != ".ttf":
                raise ValueError(f"notices load no file but their fonts: {url}")
        return super().fetch(url, headers)
