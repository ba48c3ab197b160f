"""Sensitive topics: the editor's "sensitive topic" tick on specialties, procedures and
articles, and the effective value stored on those and on expert profiles.

No data step: every existing page gets `marked_sensitive = False`, and by the rules in
medical_content.sensitivity nothing is then sensitive, which is the stored default. Values are
computed from the first tick an editor publishes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("medical_content", "0005_remove_typed_review_credit"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlepage",
            name="is_sensitive",
            field=models.BooleanField(default=False, editable=False, verbose_name="sensitive"),
        ),
        migrations.AddField(
            model_name="articlepage",
            name="marked_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Tick it for topics whose reading could reveal something private about a reader's health, such as sexual health, mental health or pregnancy loss. Sensitive pages never show advertising, and analytics is told neither their title nor their address. An article is already sensitive when its specialty or one of its procedures is; tick it for a sensitive article on a topic that is not.",
                verbose_name="sensitive topic",
            ),
        ),
        migrations.AddField(
            model_name="expertprofilepage",
            name="is_sensitive",
            field=models.BooleanField(default=False, editable=False, verbose_name="sensitive"),
        ),
        migrations.AddField(
            model_name="procedurepage",
            name="is_sensitive",
            field=models.BooleanField(default=False, editable=False, verbose_name="sensitive"),
        ),
        migrations.AddField(
            model_name="procedurepage",
            name="marked_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Tick it for topics whose reading could reveal something private about a reader's health, such as sexual health, mental health or pregnancy loss. Sensitive pages never show advertising, and analytics is told neither their title nor their address. Articles about it are then sensitive too. It is already sensitive if its specialty is.",
                verbose_name="sensitive topic",
            ),
        ),
        migrations.AddField(
            model_name="specialtypage",
            name="is_sensitive",
            field=models.BooleanField(default=False, editable=False, verbose_name="sensitive"),
        ),
        migrations.AddField(
            model_name="specialtypage",
            name="marked_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Tick it for topics whose reading could reveal something private about a reader's health, such as sexual health, mental health or pregnancy loss. Sensitive pages never show advertising, and analytics is told neither their title nor their address. Its procedures, the articles filed under it or about its procedures, and its experts' profiles are then sensitive too.",
                verbose_name="sensitive topic",
            ),
        ),
    ]
