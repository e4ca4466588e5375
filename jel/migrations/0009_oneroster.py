# Placeholder reserved for OneRoster import (issue 18) (issue work in parallel); its operations are filled in
# with the models they migrate, so the migration graph stays one line.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jel", "0008_settings_versions")]

    operations = []
