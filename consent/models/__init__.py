"""The consent layer's models: groups and cookies (on django-cookie-consent's), tags, settings."""

from .groups import ConsentCookie, ConsentGroup
from .settings import ConsentSettings
from .tags import ConsentTag

__all__ = ["ConsentCookie", "ConsentGroup", "ConsentSettings", "ConsentTag"]
