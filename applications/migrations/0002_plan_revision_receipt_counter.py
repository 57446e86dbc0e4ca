import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0001_initial'),
        ('programs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReceiptCounter',
            fields=[
                ('call', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='receipt_counter', serialize=False, to='programs.call', verbose_name='call')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='last number issued')),
            ],
            options={
                'verbose_name': 'receipt counter',
                'verbose_name_plural': 'receipt counters',
            },
        ),
        migrations.AlterModelOptions(
            name='invitation',
            options={'ordering': ['company', '-created_at'], 'verbose_name': 'invitation', 'verbose_name_plural': 'invitations'},
        ),
        migrations.AddField(
            model_name='invitation',
            name='accepted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accepted by'),
        ),
        migrations.AddField(
            model_name='planversion',
            name='plan_revision',
            field=models.PositiveIntegerField(default=0, help_text="The draft's revision this version froze; submitting the same revision twice makes no second version.", verbose_name='plan revision'),
        ),
        migrations.AddConstraint(
            model_name='businessplan',
            constraint=models.CheckConstraint(condition=models.Q(('contribution_cash__lte', 1000000000000), ('contribution_in_kind__lte', 1000000000000)), name='plan_contribution_within_limit'),
        ),
        migrations.AddConstraint(
            model_name='businessplan',
            constraint=models.CheckConstraint(condition=models.Q(('schedule_start__isnull', True), ('schedule_end__isnull', True), ('schedule_end__gte', models.F('schedule_start')), _connector='OR'), name='plan_schedule_ends_after_start'),
        ),
    ]
