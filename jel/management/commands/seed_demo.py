from django.conf import settings
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from jel import registry
from jel.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TEACHER_EMAIL, LEADERS, seed_core


class Command(BaseCommand):
    help = (
        "Create the demo district and middle school. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        school = seed_core()
        for seeder in registry.seeders:
            with scopes_disabled():
                seeder.run(school=school, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo school ready: {school.name}"))
        self.stdout.write(
            f"Sign in at {settings.JEL_BASE_URL}/ with password {DEMO_PASSWORD}:"
        )
        for person in LEADERS:
            self.stdout.write(f"  {person.role:<10} {person.email}@{DEMO_DOMAIN}")
        self.stdout.write(f"  {'teacher':<10} {DEMO_TEACHER_EMAIL}")
