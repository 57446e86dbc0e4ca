"""The notices' prepared Hangul font, its system checks and the renderer's URL fetcher."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from fontTools.ttLib import TTFont

from awards import fonts
from portal.checks import check_notice_fonts

NANUM = Path("/usr/share/fonts/truetype/nanum")


@pytest.fixture
def font_dir(settings, tmp_path):
    settings.NOTICE_FONT_DIR = str(tmp_path / "fonts")
    return tmp_path / "fonts"


def test_prepare_fonts_copies_nanum_gothic_without_hinting_sources(font_dir):
    prepared = fonts.prepare_fonts()
    assert prepared == {"normal": font_dir / "NoticeGothic-Regular.ttf",
                        "bold": font_dir / "NoticeGothic-Bold.ttf"}
    for weight, source in (("normal", "NanumGothic.ttf"), ("bold", "NanumGothicBold.ttf")):
        original = TTFont(str(NANUM / source), lazy=True)
        copy = TTFont(str(prepared[weight]), lazy=True)
        assert sorted(set(original.keys()) - set(copy.keys())) == \
            ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
        # Same glyphs, same outlines source, same character map: the text looks the same.
        assert copy.getGlyphOrder() == original.getGlyphOrder()
        assert copy.getBestCmap() == original.getBestCmap()
        assert copy["glyf"]["uniD55C"].getCoordinates(copy["glyf"]) == \
            original["glyf"]["uniD55C"].getCoordinates(original["glyf"])
        assert prepared[weight].stat().st_mode & 0o777 == 0o644


def test_prepare_fonts_leaves_prepared_files_alone_unless_forced(font_dir):
    prepared = fonts.prepare_fonts()
    stamp = prepared["normal"].stat().st_mtime_ns
    fonts.prepare_fonts()
    assert prepared["normal"].stat().st_mtime_ns == stamp
    fonts.prepare_fonts(force=True)
    assert prepared["normal"].stat().st_mtime_ns != stamp


def test_prepare_notice_fonts_command_reports_the_files(font_dir, capsys):
    call_command("prepare_notice_fonts")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" (")[0] for line in out] == [
        f"normal: {font_dir / 'NoticeGothic-Regular.ttf'}",
        f"bold: {font_dir / 'NoticeGothic-Bold.ttf'}"]


def test_prepare_notice_fonts_command_fails_clearly_without_nanum(font_dir, settings, tmp_path):
    settings.NOTICE_FONT_SOURCE_DIRS = [str(tmp_path / "nowhere")]
    with pytest.raises(CommandError) as error:
        call_command("prepare_notice_fonts")
    assert str(error.value) == (
        "Cannot find NanumGothic.ttf, NanumGothicBold.ttf: install Debian's fonts-nanum "
        "(apt-get install fonts-nanum) or set NOTICE_FONT_SOURCE_DIRS.")


def test_check_notice_fonts_silent_once_prepared(font_dir):
    fonts.prepare_fonts()
    assert check_notice_fonts(None) == []


def test_check_notice_fonts_warns_when_not_prepared_yet(font_dir):
    warnings = check_notice_fonts(None)
    assert [(w.id, w.msg) for w in warnings] == [(
        "portal.W002",
        f"The notice fonts are not prepared in {font_dir}: the first notice a process "
        "renders prepares them.")]


def test_check_notice_fonts_warns_when_nanum_is_missing(font_dir, settings, tmp_path):
    settings.NOTICE_FONT_SOURCE_DIRS = [str(tmp_path / "nowhere")]
    warnings = check_notice_fonts(None)
    assert [w.id for w in warnings] == ["portal.W003"]
    assert warnings[0].hint == ("Install Debian's fonts-nanum (apt-get install fonts-nanum), "
                                "then run 'manage.py prepare_notice_fonts'.")


def test_font_face_css_names_the_prepared_files_relative_to_their_folder(font_dir):
    css = fonts.font_face_css(fonts.prepare_fonts())
    assert css == (
        '@font-face { font-family: "NoticeGothic"; font-weight: normal; '
        'src: url("NoticeGothic-Regular.ttf") format("truetype"); }\n'
        '@font-face { font-family: "NoticeGothic"; font-weight: bold; '
        'src: url("NoticeGothic-Bold.ttf") format("truetype"); }\n')


def test_url_fetcher_reads_only_the_prepared_fonts_and_data_uris(font_dir, tmp_path):
    prepared = fonts.prepare_fonts()
    fetcher = fonts.NoticeURLFetcher(font_dir)
    response = fetcher(prepared["normal"].as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"
    response.close()
    assert fetcher("data:text/plain,hello").read() == b"hello"
    secret = tmp_path / "secret.ttf"
    secret.write_bytes(b"not for notices")
    for url in (secret.as_uri(), "file:///etc/passwd", "http://example.com/x.ttf",
                (font_dir / ".." / "secret.ttf").as_uri()):
        with pytest.raises(ValueError):
            fetcher(url)


def test_render_pdf_prepares_missing_fonts_on_first_use(font_dir, monkeypatch):
    from awards import notices

    monkeypatch.setattr(fonts, "_ensured", False)
    pdf = notices.render_pdf("<html><body><p>선정 통지서</p></body></html>")
    assert pdf[:5] == b"%PDF-"
    assert sorted(p.name for p in font_dir.iterdir()) == ["NoticeGothic-Bold.ttf",
                                                           "NoticeGothic-Regular.ttf"]
