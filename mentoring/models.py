"""Every model in the scheme, imported in one place so Alembic sees the whole schema."""

import mentoring.reports.indexes  # noqa: F401 - indexes reports declare on others' tables
from mentoring.audit.models import AuditEvent
from mentoring.auth.models import RoleGrant, User
from mentoring.auth.second_factor import RecoveryCode, SecondFactor
from mentoring.checkins.models import (
    CheckIn,
    CheckInReceipt,
    CheckInTopic,
    ClosedCheckInWeek,
    PendingCheckIn,
)
from mentoring.conflicts.models import ConflictOfInterest
from mentoring.directory.models import (
    DirectoryVersion,
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
    "AuditEvent",
    "AvailabilityWindow",
    "CheckIn",
    "CheckInReceipt",
    "CheckInTopic",
    "ClosedCheckInWeek",
    "ConflictOfInterest",
    "MenteeFeedback",
    "MentorFormat",
    "MentorModel",
    "MentorOffer",
    "MentorProfile",
    "MentorTopic",
    "MentoringRelationship",
    "MentoringRequest",
    "DirectoryVersion",
    "OpeningWindow",
    "PendingCheckIn",
    "RecoveryCode",
    "RequestFormat",
    "RequestSlot",
    "RequestTopic",
    "RoleGrant",
    "SecondFactor",
    "SessionLog",
    "SessionSignpost",
    "SessionStageNote",
    "SessionTopic",
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
