from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0002_run_copies_and_track_size"),
    ]

    operations = [
        migrations.AddField(
            model_name="resultline",
            name="members",
            field=models.JSONField(blank=True, default=list,
                                   help_text="For a cluster: each member company's cost and "
                                             "support.",
                                   verbose_name="member companies"),
        ),
    ]
