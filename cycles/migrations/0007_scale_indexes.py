# A school's visits by date: what the dashboards and week views filter on (issue 20).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cycles", "0006_titles_one_line")]

    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["school", "date"], name="visit_school_date"),
        ),
    ]
