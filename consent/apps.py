from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """The consent layer on top of django-cookie-consent (built in a later issue)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consent"
    verbose_name = "Cookie consent"
