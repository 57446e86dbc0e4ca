from django.db import migrations, models


def forget_tallies(apps, schema_editor):
    """Tallies counted before they held each reviewer's counts: counted again on first read."""
    apps.get_model("reviews", "RoundTally").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0005_round_tally"),
    ]

    operations = [
        migrations.AddField(
            model_name="roundtally",
            name="reviewers",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(forget_tallies, migrations.RunPython.noop, elidable=True),
    ]
