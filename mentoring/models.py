"""Every model in the scheme, imported in one place so Alembic sees the whole schema."""

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import RoleGrant, User
from mentoring.relationships.models import MentoringRelationship
from mentoring.requests_.models import (
    MentorOffer,
    MentoringRequest,
    RequestFormat,
    RequestSlot,
    RequestTopic,
    Suggestion,
)

__all__ = [
    "AuditEvent",
    "MentorOffer",
    "MentoringRelationship",
    "MentoringRequest",
    "RequestFormat",
    "RequestSlot",
    "RequestTopic",
    "RoleGrant",
    "Suggestion",
    "User",
]
