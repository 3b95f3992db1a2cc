"""Admin use cases: roles and accounts."""

from __future__ import annotations

from mentoring.auth.models import RoleGrant, User
from mentoring.core.errors import ServiceError
from mentoring.extensions import db
from mentoring.permissions import Role


def roles_set(*, user: User, roles: set[Role], changed_by: User) -> None:
    """Give `user` exactly these roles.

    Nobody removes their own admin role, so whoever acts keeps the scheme administered: there is
    always at least one admin, the one acting.
    """
    current = user.roles
    if Role.ADMIN in current and Role.ADMIN not in roles and user.id == changed_by.id:
        raise ServiceError(
            "You cannot remove your own admin role. Ask another admin to do it", field="roles"
        )
    for grant in list(user.role_grants):
        if Role(grant.role) not in roles:
            user.role_grants.remove(grant)
    for role in sorted(roles - current):
        user.role_grants.append(RoleGrant(role=role.value))
    db.session.flush()
