"""The page and snippet classes of medical_content, re-exported for `from .models import`."""

from .articles import ArticleIndexPage, ArticlePage, ArticleProcedure
from .credits import ArticleCredit, StaffMember
from .experts import (
    ExpertIndexPage,
    ExpertLocation,
    ExpertProfilePage,
    ExpertQualification,
    ExpertSpecialty,
)
from .home import HomePage
from .page_creation import PageCreation
from .ratings import PatientRating, RatingSummary
from .reviews import ClinicalApproval, ClinicalReviewTask, EditorialCheckTask
from .taxonomy import ProcedureIndexPage, ProcedurePage, SpecialtyIndexPage, SpecialtyPage

__all__ = [
    "ArticleCredit",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleProcedure",
    "ClinicalApproval",
    "ClinicalReviewTask",
    "EditorialCheckTask",
    "ExpertIndexPage",
    "ExpertLocation",
    "ExpertProfilePage",
    "ExpertQualification",
    "ExpertSpecialty",
    "HomePage",
    "PageCreation",
    "PatientRating",
    "ProcedureIndexPage",
    "ProcedurePage",
    "RatingSummary",
    "SpecialtyIndexPage",
    "SpecialtyPage",
    "StaffMember",
]
