import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Evidence keeps its look-for (PROTECT: a used look-for is archived), and a
    client id is unique per school, so saving one needs no unscoped query."""

    dependencies = [
        ("cycles", "0003_lab_prebrief"),
        ("jel", "0005_school_owned_and_debrief_kinds"),
        ("observations", "0002_evidence_host_thanked_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="client_id",
            field=models.UUIDField(),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="look_for",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evidence",
                to="cycles.lookfor",
            ),
        ),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.UniqueConstraint(
                fields=("school", "client_id"), name="evidence_client_id_per_school"
            ),
        ),
    ]
