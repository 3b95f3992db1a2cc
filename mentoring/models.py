"""Every model in the scheme, imported in one place so Alembic sees the whole schema."""

from mentoring.auth.models import RoleGrant, User
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.mentors.models import (
    AvailabilityWindow,
    MentorFormat,
    MentorModel,
    MentorProfile,
    MentorTopic,
    SupervisionSession,
    SupportRequest,
)
from mentoring.training.models import TrainingModel, TrainingRecord

__all__ = [
    "AvailabilityWindow",
    "ConflictOfInterest",
    "MentorFormat",
    "MentorModel",
    "MentorProfile",
    "MentorTopic",
    "RoleGrant",
    "SupervisionSession",
    "SupportRequest",
    "TrainingModel",
    "TrainingRecord",
    "User",
]
