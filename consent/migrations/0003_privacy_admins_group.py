"""The "Privacy admins" group: the only non-superusers who see or change the consent set-up.

Custom HTML tags need one more permission (`manage_custom_html_tags`), which this group does
not get: a superuser grants it to the few people trusted to put code on every page.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Privacy admins"
MODELS = ["consentgroup", "consentcookie", "consenttag"]
ACTIONS = ["add", "change", "delete", "view"]


def codenames():
    return [f"{a}_{m}" for m in MODELS for a in ACTIONS] + ["change_consentsettings"]


def create_group(apps, schema_editor):
    # Permissions only exist after all migrations on a fresh database: create them now. The
    # migration registry's app configs have no models module, which create_permissions skips.
    # (Wagtail's own migration created "access_admin".)
    app_config = apps.get_app_config("consent")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="consent", codename__in=codenames()),
        *Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_default_cookie_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
