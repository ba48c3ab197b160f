from django.apps import AppConfig


class MedicalContentConfig(AppConfig):
    """Articles, expert profiles and the taxonomy of a medical publisher."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "medical_content"
    verbose_name = "Medical content"

    def ready(self) -> None:
        from . import editorial, page_cache, search_index  # noqa: F401  (connect receivers)
