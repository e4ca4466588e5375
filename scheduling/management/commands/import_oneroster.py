"""python manage.py import_oneroster PATH [--dry-run] [--district NAME]"""

from django.core.management.base import BaseCommand, CommandError

from scheduling.roster import import_roster


class Command(BaseCommand):
    help = (
        "Import staff, sections and the bell schedule from a OneRoster 1.1 or 1.2 "
        "CSV export (a folder or a .zip). Students are skipped and never stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a folder or a .zip holding manifest.csv")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would change; write nothing",
        )
        parser.add_argument(
            "--district", help="the district's name, when orgs.csv has no district"
        )

    def handle(self, *args, path, dry_run, district, **options):
        result = import_roster(path, district_name=district, dry_run=dry_run)
        for line in result.lines():
            self.stdout.write(line)
        if not result.ok:
            raise CommandError("Nothing was imported.")
