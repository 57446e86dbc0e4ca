from django.core.management.base import BaseCommand, CommandError

from awards import fonts


class Command(BaseCommand):
    requires_system_checks = []
    help = ("Copy NanumGothic regular and bold without their hinting-source tables (TSI0–TSI5) "
            "into NOTICE_FONT_DIR, for fast Korean PDF notices (see awards/fonts.py).")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Prepare the files again even when they exist.")

    def handle(self, *args, force=False, **options):
        prepared = fonts.prepare_fonts(force=force)
        if len(prepared) < len(fonts.FONTS):
            missing = [source for weight, (_name, source) in fonts.FONTS.items()
                       if weight not in prepared]
            raise CommandError(
                f"Cannot find {', '.join(missing)}: install Debian's fonts-nanum "
                "(apt-get install fonts-nanum) or set NOTICE_FONT_SOURCE_DIRS.")
        for weight, path in prepared.items():
            self.stdout.write(f"{weight}: {path} ({path.stat().st_size:,} bytes)")
