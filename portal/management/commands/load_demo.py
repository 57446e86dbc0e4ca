from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

# Each part of the portal's demo loader, in dependency order, and whether it creates or needs
# demo accounts (skipped with --no-accounts). Each loader is idempotent.
LOADERS = [
    ("programs.demo.load", False),
    ("portal.demo.load_accounts", True),
    ("applications.demo.load", True),
    ("reviews.demo.load", True),
    ("awards.demo.load", True),
    ("projects.demo.load", True),
    ("clusters.demo.load", True),
    ("settlement.demo.load", True),
    ("accounts.demo.load", True),  # last: the demo accounts agree to the consent texts
]


class Command(BaseCommand):
    help = "Load the demo programmes of DOMAIN.md and, with DEBUG on, demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--no-accounts", action="store_true",
                            help="Load the programmes only; required when DEBUG is off.")
        parser.add_argument("--reset-windows", action="store_true",
                            help="Move the demo calls' windows so that they are open today.")

    def handle(self, *args, no_accounts=False, reset_windows=False, **options):
        if not no_accounts and not settings.DEBUG:
            raise CommandError(
                "Demo accounts are never created when DEBUG is off. Use --no-accounts to "
                "load only the programmes."
            )
        for path, needs_accounts in LOADERS:
            if needs_accounts and no_accounts:
                continue
            import_string(path)()
        if reset_windows:
            from programs.demo import reset_windows as move

            self.stdout.write(f"Moved the windows of {move()} calls.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
