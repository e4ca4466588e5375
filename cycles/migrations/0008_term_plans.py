# Placeholder reserved for the term planner (issue 22, worked in parallel); its operations
# are filled in with the models they migrate, so the migration graph stays one line.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cycles", "0007_scale_indexes")]

    operations = []
