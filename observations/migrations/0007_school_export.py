# School data export (issue 18, item 8): the export runs a principal downloads,
# and evidence that came back in with an export without its room.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("observations", "0006_rollups"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedEvidence",
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
                ("noted_at", models.DateTimeField(blank=True, null=True)),
                ("client_id", models.UUIDField(blank=True, null=True)),
                ("text", models.TextField(blank=True, max_length=2000)),
                (
                    "student_focus",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("doing", "Doing"),
                            ("saying", "Saying"),
                            ("thinking", "Thinking"),
                        ],
                        max_length=8,
                    ),
                ),
                ("is_tally", models.BooleanField(default=False)),
                ("what", models.TextField(blank=True, max_length=2000)),
                ("so_what", models.TextField(blank=True, max_length=2000)),
                ("now_what", models.TextField(blank=True, max_length=2000)),
                ("bright_spot", models.BooleanField(default=False)),
                (
                    "cycle",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cycles.cycle",
                    ),
                ),
                (
                    "look_for",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cycles.lookfor",
                    ),
                ),
                (
                    "observer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="jel.school",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "imported evidence",
            },
        ),
        migrations.CreateModel(
            name="SchoolExport",
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
                ("role", models.CharField(max_length=16)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to start"),
                            ("running", "Being written"),
                            ("done", "Ready"),
                            ("failed", "Failed"),
                        ],
                        default="queued",
                        max_length=16,
                    ),
                ),
                (
                    "progress",
                    models.PositiveSmallIntegerField(default=0, help_text="Percent."),
                ),
                ("step", models.CharField(blank=True, max_length=200)),
                ("file_name", models.CharField(blank=True, max_length=300)),
                ("size", models.PositiveBigIntegerField(blank=True, null=True)),
                ("rows", models.PositiveIntegerField(blank=True, null=True)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "requested_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "school",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="jel.school",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
            },
        ),
    ]
