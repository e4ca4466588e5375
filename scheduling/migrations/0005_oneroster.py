# OneRoster import (issue 18): sourcedIds, teaching assignments, import runs.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jel", "0009_oneroster"),
        ("scheduling", "0004_versions_and_school_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("school", "This school"),
                            ("district", "The whole district"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("checked", "Checked, waiting for your confirmation"),
                            ("refused", "Refused: the export has problems"),
                            ("queued", "Waiting to start"),
                            ("running", "Importing"),
                            ("done", "Imported"),
                            ("failed", "Failed"),
                            ("expired", "Not confirmed in time"),
                        ],
                        max_length=16,
                    ),
                ),
                ("version", models.CharField(blank=True, max_length=8)),
                ("original_name", models.CharField(blank=True, max_length=200)),
                ("file_name", models.CharField(blank=True, max_length=300)),
                (
                    "progress",
                    models.PositiveSmallIntegerField(default=0, help_text="Percent."),
                ),
                ("step", models.CharField(blank=True, max_length=200)),
                ("counts", models.JSONField(blank=True, default=dict)),
                ("errors", models.JSONField(blank=True, default=list)),
                ("warnings", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="TeachingAssignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("sourced_id", models.CharField(max_length=255)),
                ("is_primary", models.BooleanField(default=False)),
                ("is_active", models.BooleanField(default=True)),
            ],
            options={
                "ordering": ["-is_primary", "pk"],
            },
        ),
        migrations.AddField(
            model_name="academicyear",
            name="sourced_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="section",
            name="is_active",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="section",
            name="sourced_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddField(
            model_name="term",
            name="sourced_id",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddConstraint(
            model_name="academicyear",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sourced_id", ""), _negated=True),
                fields=("school", "sourced_id"),
                name="academic_year_sourced_id_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sourced_id", ""), _negated=True),
                fields=("school", "sourced_id"),
                name="section_sourced_id_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="term",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sourced_id", ""), _negated=True),
                fields=("school", "sourced_id"),
                name="term_sourced_id_unique",
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="jel.school",
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="uploaded_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="school",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="jel.school",
            ),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="section",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="assignments",
                to="scheduling.section",
            ),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="teacher",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="teachingassignment",
            constraint=models.UniqueConstraint(
                fields=("school", "sourced_id"), name="assignment_sourced_id_unique"
            ),
        ),
    ]
