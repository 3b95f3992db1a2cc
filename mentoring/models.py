"""Every model in the scheme, imported in one place so Alembic sees the whole schema."""

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import RoleGrant, User
from mentoring.checkins.models import CheckIn, CheckInReceipt, CheckInTopic
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.directory.models import (
    OpeningWindow,
    SupportService,
    SupportServiceKind,
    SupportServiceTopic,
)
from mentoring.mentors.models import (
    AvailabilityWindow,
    MentorFormat,
    MentorModel,
    MentorProfile,
    MentorTopic,
    SupervisionSession,
    SupportRequest,
)
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.session_models import (
    ActionItem,
    SessionLog,
    SessionSignpost,
    SessionStageNote,
    SessionTopic,
)
from mentoring.requests_.models import (
    MentoringRequest,
    MentorOffer,
    RequestFormat,
    RequestSlot,
    RequestTopic,
    Suggestion,
)
from mentoring.training.models import TrainingModel, TrainingRecord

__all__ = [
    "ActionItem",
    "MenteeFeedback",
    "SessionLog",
    "SessionSignpost",
    "SessionStageNote",
    "SessionTopic",
    "AuditEvent",
    "AvailabilityWindow",
    "CheckIn",
    "CheckInReceipt",
    "CheckInTopic",
    "ConflictOfInterest",
    "MentorFormat",
    "MentorOffer",
    "MentoringRelationship",
    "MentoringRequest",
    "MentorModel",
    "MentorProfile",
    "MentorTopic",
    "OpeningWindow",
    "RequestFormat",
    "RequestSlot",
    "RequestTopic",
    "RoleGrant",
    "Suggestion",
    "SupervisionSession",
    "SupportRequest",
    "SupportService",
    "SupportServiceKind",
    "SupportServiceTopic",
    "TrainingModel",
    "TrainingRecord",
    "User",
]
