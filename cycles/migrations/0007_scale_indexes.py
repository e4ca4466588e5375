# Placeholder reserved for district scale indexes (issue 20) (issue work in parallel); its operations are filled in
# with the models they migrate, so the migration graph stays one line.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cycles", "0006_titles_one_line")]

    operations = []
