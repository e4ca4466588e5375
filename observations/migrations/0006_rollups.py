# Placeholder reserved for dashboard rollups (issue 20) (issue work in parallel); its operations are filled in
# with the models they migrate, so the migration graph stays one line.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("observations", "0005_versions_limits_creation_tokens")]

    operations = []
