from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """The consent layer on top of django-cookie-consent: groups, gated tags, banner, choices."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "consent"
    verbose_name = "Cookie consent"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
        from .signals import connect_receivers

        connect_receivers()
