"""Every model in the scheme, imported in one place so Alembic sees the whole schema."""

from mentoring.audit.models import AuditEvent
from mentoring.auth.models import RoleGrant, User

__all__ = ["AuditEvent", "RoleGrant", "User"]
