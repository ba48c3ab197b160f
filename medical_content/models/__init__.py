"""The page and snippet classes of medical_content, re-exported for `from .models import`."""

from .articles import ArticleIndexPage, ArticlePage
from .credits import ArticleCredit, StaffMember
from .experts import (
    ExpertIndexPage,
    ExpertLocation,
    ExpertProfilePage,
    ExpertQualification,
    ExpertSpecialty,
)
from .home import HomePage

__all__ = [
    "ArticleCredit",
    "ArticleIndexPage",
    "ArticlePage",
    "ExpertIndexPage",
    "ExpertLocation",
    "ExpertProfilePage",
    "ExpertQualification",
    "ExpertSpecialty",
    "HomePage",
    "StaffMember",
]
