from django.apps import AppConfig


class ThemesConfig(AppConfig):
    """How the site looks: base templates, includes and static assets."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "themes"
    verbose_name = "Themes"
