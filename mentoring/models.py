"""Every model in the scheme, imported in one place so Alembic sees the whole schema."""

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import RoleGrant, User
from mentoring.auth.second_factor import RecoveryCode, SecondFactor
from mentoring.checkins.models import CheckIn, CheckInReceipt, CheckInTopic
from mentoring.directory.models import (
    OpeningWindow,
    SupportService,
    SupportServiceKind,
    SupportServiceTopic,
)

__all__ = [
    "AuditEvent",
    "CheckIn",
    "CheckInReceipt",
    "CheckInTopic",
    "OpeningWindow",
    "RecoveryCode",
    "RoleGrant",
    "SecondFactor",
    "SupportService",
    "SupportServiceKind",
    "SupportServiceTopic",
    "User",
]
