"""Let Wagtail's default "Editors" group manage staff members and patient ratings.

Snippet permissions are per model and Wagtail grants none by default; without these, the
people who credit staff editors and enter survey ratings could not reach either listing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["staffmember", "patientrating"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    # On a fresh database, permissions are only created after all migrations have run, so
    # create them now. The migration's app registry has stubs that create_permissions
    # would skip for having no models module.
    app_config = apps.get_app_config("medical_content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="medical_content", codename__in=codenames
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="medical_content", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("medical_content", "0001_initial_content_model"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
