"""Rebuild a school in this JEL from the .zip its principal downloaded."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observations.school_export.restore import ImportRefused, rebuild


class Command(BaseCommand):
    help = (
        "Rebuild a school from its JEL export (.zip), in one transaction: a "
        "malformed or changed export is refused with every problem (file, line, "
        "reason) and nothing is written. People without an account here get one "
        "with an unusable password (they reset it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The export's .zip file.")
        parser.add_argument(
            "--school-name",
            help="Name the rebuilt school differently (when the district "
            "already has a school of the export's name).",
        )

    def handle(self, *args, path, school_name=None, **options):
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            school = rebuild(path, school_name=school_name)
        except ImportRefused as refused:
            raise CommandError(
                f"{path.name} was not imported; nothing was written:\n"
                + "\n".join(f"  {problem}" for problem in refused.problems)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {school.name} ({school.district.name}).")
        )
