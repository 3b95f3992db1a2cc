"""Admin use cases: roles and accounts."""

from __future__ import annotations

from mentoring.audit.services import AuditAction, audit_record
from mentoring.auth.models import RoleGrant, User
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.permissions import Role


def roles_set(*, user: User, roles: set[Role], changed_by: User) -> None:
    """Give `user` exactly these roles.

    Nobody removes their own admin role, so whoever acts keeps the scheme administered: there is
    always at least one admin, the one acting.
    """
    grants = list(user.role_grants)  # loaded first, so `roles` below reads this same collection
    current = user.roles
    if Role.ADMIN in current and Role.ADMIN not in roles and user.id == changed_by.id:
        raise ServiceError(
            "You cannot remove your own admin role. Ask another admin to do it", field="roles"
        )
    for grant in grants:
        if Role(grant.role) not in roles:
            user.role_grants.remove(grant)
            _audit_role(AuditAction.ROLE_REMOVED, user, grant.role, changed_by)
    for role in sorted(roles - current):
        user.role_grants.append(RoleGrant(role=role.value))
        _audit_role(AuditAction.ROLE_GRANTED, user, role.value, changed_by)
    db.session.flush()


def _audit_role(action: AuditAction, user: User, role: str, changed_by: User) -> None:
    audit_record(
        action=action, actor_id=changed_by.id, record_type="user", record_id=user.id, detail=role
    )
