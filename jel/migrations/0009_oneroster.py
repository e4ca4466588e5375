# OneRoster import (issue 18): sourcedIds, roster roles and the aide role.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jel", "0008_settings_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="district",
            name="sourced_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="membership",
            name="roster_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("principal", "Principal / building leader"),
                    ("coach", "Coach"),
                    ("mentor", "Mentor"),
                    ("teacher", "Teacher"),
                    ("district", "District staff"),
                    ("aide", "Aide"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="sourced_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="school",
            name="sourced_id",
            field=models.CharField(
                blank=True,
                help_text="The school org's OneRoster sourcedId.",
                max_length=255,
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="role",
            field=models.CharField(
                choices=[
                    ("principal", "Principal / building leader"),
                    ("coach", "Coach"),
                    ("mentor", "Mentor"),
                    ("teacher", "Teacher"),
                    ("district", "District staff"),
                    ("aide", "Aide"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                fields=["school", "sourced_id"], name="membership_sourced_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sourced_id", ""), _negated=True),
                fields=("sourced_id",),
                name="district_sourced_id_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="school",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sourced_id", ""), _negated=True),
                fields=("district", "sourced_id"),
                name="school_sourced_id_unique",
            ),
        ),
    ]
