from django.apps import AppConfig


class MedicalContentConfig(AppConfig):
    """Articles, expert profiles and the taxonomy of a medical publisher."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "medical_content"
    verbose_name = "Medical content"

    def ready(self) -> None:
        # Imported for what importing does: registering the system checks (checks) and
        # connecting signal receivers (the others).
        from . import checks, signals  # noqa: F401
