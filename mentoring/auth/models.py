"""People who use the scheme and the roles they hold."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from functools import lru_cache

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mentoring.extensions import db
from mentoring.permissions import Permission, Role, permissions_for


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


# The person loaded for a request (mentoring/security.py) comes with their roles read in the same
# statement, kept under this name while `role_grants` is not loaded: `roles` reads them from there.
# Loading or changing `role_grants` in the request makes the collection the answer again, and
# expiring it (a commit, `expire`) forgets the kept roles, so they are never older than the
# collection would be.
ROLES_AT_LOAD = "roles_at_load"


@lru_cache(maxsize=64)
def roles_named(names: str | tuple[str, ...] | None) -> frozenset[Role]:
    """The roles named in a comma-separated list (as the loader reads them), or a tuple."""
    if not names:
        return frozenset()
    return frozenset(Role(name) for name in (names.split(",") if isinstance(names, str) else names))


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The id Flask-Login keeps in the session cookie. Rotated on sign-out and password change, so an
    # old cookie, replayed, no longer names anybody.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    email_confirmed_at: Mapped[datetime | None]
    is_disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    role_grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    # Flask-Login ------------------------------------------------------------------------------

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return not self.is_disabled and self.email_confirmed_at is not None

    # Roles and permissions --------------------------------------------------------------------

    @property
    def roles(self) -> frozenset[Role]:
        state = self.__dict__
        if "role_grants" not in state:
            kept = state.get(ROLES_AT_LOAD)
            if kept is not None:
                return kept
        return roles_named(tuple(grant.role for grant in self.role_grants))

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def can(self, permission: Permission) -> bool:
        return self.is_active and permission in permissions_for(self.roles)

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id}>"


@event.listens_for(User, "expire")
def _forget_roles_at_load(user: User | None, attributes) -> None:
    # (`user` is None when the object has already been garbage collected: nothing to forget.)
    if user is not None and (attributes is None or "role_grants" in attributes):
        user.__dict__.pop(ROLES_AT_LOAD, None)


class RoleGrant(db.Model):
    """One role held by one person; a person may hold several."""

    __tablename__ = "role_grant"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants")

    __table_args__ = (
        CheckConstraint(
            "role IN (" + ", ".join(f"'{role.value}'" for role in Role) + ")", name="known_role"
        ),
    )
