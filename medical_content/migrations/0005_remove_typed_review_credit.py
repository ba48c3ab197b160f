"""The last reviewed date and the "medical reviewer" credit were typed by editors; from 0004 on
readers are told who reviewed an article, and when, only from its clinical approval."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("medical_content", "0004_editorial_roles_and_workflow")]

    operations = [
        migrations.RemoveField(model_name="articlepage", name="last_reviewed"),
        migrations.AlterField(
            model_name="articlecredit",
            name="role",
            field=models.CharField(
                choices=[("author", "Author"), ("editor", "Editor")],
                default="author",
                max_length=20,
            ),
        ),
    ]
