from django.db import migrations, models
from django.db.models import Count


def fill_track_sizes(apps, schema_editor):
    """Existing lines: the number of lines of the same run and track."""
    ResultLine = apps.get_model("awards", "ResultLine")
    sizes = (ResultLine.objects.order_by().values("run_id", "track_id")
             .annotate(n=Count("pk")))
    for row in sizes:
        ResultLine.objects.filter(run_id=row["run_id"], track_id=row["track_id"]).update(
            track_size=row["n"])


def fill_run_copies(apps, schema_editor):
    AwardRun = apps.get_model("awards", "AwardRun")
    for run in AwardRun.objects.exclude(inputs={}):
        call = run.inputs.get("call", {})
        AwardRun.objects.filter(pk=run.pk).update(
            cutoff_score=call.get("cutoff_score"), min_cash_share=call.get("min_cash_share"))


class Migration(migrations.Migration):

    dependencies = [
        ("awards", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardrun",
            name="cutoff_score",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True,
                                      verbose_name="cut-off score"),
        ),
        migrations.AddField(
            model_name="awardrun",
            name="min_cash_share",
            field=models.DecimalField(blank=True, decimal_places=4, max_digits=5, null=True,
                                      verbose_name="minimum cash share"),
        ),
        migrations.AddField(
            model_name="resultline",
            name="track_size",
            field=models.PositiveIntegerField(default=0,
                                              verbose_name="applications ranked in the track"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_track_sizes, migrations.RunPython.noop),
        migrations.RunPython(fill_run_copies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="resultline",
            constraint=models.CheckConstraint(
                condition=models.Q(("rank__gte", 1), ("rank__lte", models.F("track_size"))),
                name="result_line_rank_within_track",
            ),
        ),
    ]
