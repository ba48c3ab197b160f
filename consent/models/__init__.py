"""The consent layer's models: groups and cookies (on django-cookie-consent's), tags, settings,
and the records of readers' decisions."""

from .groups import ConsentCookie, ConsentGroup
from .records import BannerVersion, ConsentRecord, RecordMethod
from .settings import ConsentSettings
from .tags import ConsentTag

__all__ = [
    "BannerVersion",
    "ConsentCookie",
    "ConsentGroup",
    "ConsentRecord",
    "ConsentSettings",
    "ConsentTag",
    "RecordMethod",
]
