"""Roles, permissions and every access decision in the scheme.

Views never decide access inline. Each view declares a policy with `@requires(...)` or `@public`;
`enforce_access_policy` runs before every request and refuses any endpoint that declared none, so a
new route cannot be reachable by accident. Object-level rules (may this person read this record?)
live here too, as functions named for the question they answer.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache
from typing import Any

from flask import abort, current_app, request
from flask_login import AnonymousUserMixin, current_user


class Role(StrEnum):
    DOCTOR = "doctor"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.DOCTOR: "Doctor",
    Role.MENTOR: "Mentor",
    Role.COORDINATOR: "Scheme coordinator",
    Role.ADMIN: "Administrator",
}


class Permission(StrEnum):
    USE_ACCOUNT = "use_account"  # any signed-in person
    SEEK_MENTORING = "seek_mentoring"
    MENTOR = "mentor"
    COORDINATE_SCHEME = "coordinate_scheme"
    MANAGE_ACCOUNTS = "manage_accounts"
    READ_AUDIT_LOG = "read_audit_log"
    MANAGE_DIRECTORY = "manage_directory"  # add, change and remove support services
    READ_REPORTS = "read_reports"  # aggregate figures only, after disclosure control


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DOCTOR: frozenset({Permission.USE_ACCOUNT, Permission.SEEK_MENTORING}),
    Role.MENTOR: frozenset({Permission.USE_ACCOUNT, Permission.MENTOR}),
    Role.COORDINATOR: frozenset(
        {
            Permission.USE_ACCOUNT,
            Permission.COORDINATE_SCHEME,
            Permission.MANAGE_DIRECTORY,
            Permission.READ_REPORTS,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Permission.USE_ACCOUNT,
            Permission.MANAGE_ACCOUNTS,
            Permission.READ_AUDIT_LOG,
            Permission.READ_REPORTS,
        }
    ),
}


def permissions_for(roles: set[Role] | frozenset[Role]) -> frozenset[Permission]:
    if isinstance(roles, frozenset):
        return _permissions_of(roles)
    return _permissions_of.__wrapped__(roles)


@lru_cache(maxsize=64)
def _permissions_of(roles: frozenset[Role]) -> frozenset[Permission]:
    """Each set of roles' permissions worked out once: ROLE_PERMISSIONS never changes."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


class AnonymousUser(AnonymousUserMixin):
    """The visitor who has not signed in: holds no role and no permission."""

    roles: frozenset[Role] = frozenset()

    def can(self, permission: Permission) -> bool:
        return False

    def has_role(self, role: Role) -> bool:
        return False


# --- declaring a view's policy --------------------------------------------------------------------

PUBLIC = "public"
_POLICY_ATTRIBUTE = "access_policy"


def public(view: Callable) -> Callable:
    """Anyone may reach this view, signed in or not."""
    setattr(view, _POLICY_ATTRIBUTE, PUBLIC)
    return view


def requires(permission: Permission) -> Callable[[Callable], Callable]:
    """Only a signed-in person holding `permission` may reach this view."""

    def decorate(view: Callable) -> Callable:
        setattr(view, _POLICY_ATTRIBUTE, permission)
        return view

    return decorate


def policy_of(view: Callable | None) -> str | Permission | None:
    return getattr(view, _POLICY_ATTRIBUTE, None)


def enforce_access_policy() -> None:
    """Before every request: let through, send to sign-in (401), or refuse (403)."""
    if request.endpoint is None or request.endpoint in _UNGUARDED_ENDPOINTS:
        return
    view = current_app.view_functions.get(request.endpoint)
    policy = policy_of(view)
    if policy is None:
        current_app.logger.error("endpoint %s declares no access policy", request.endpoint)
        abort(403)
    if policy == PUBLIC:
        return
    user = current_user._get_current_object()
    if not user.is_authenticated:
        abort(401)
    if not user.can(policy):
        refuse()


# Flask's own static route serves the project's CSS and images; nothing in it is private.
_UNGUARDED_ENDPOINTS = frozenset({"static"})


# --- object-level policies ------------------------------------------------------------------------


def may_change_roles(actor: Any, target: Any) -> bool:
    """Admins manage roles; that includes their own, within the last-admin rule in the service."""
    return actor.is_authenticated and actor.can(Permission.MANAGE_ACCOUNTS)


def may_manage_support_service(actor: Any, service: Any) -> bool:
    """The directory is the scheme's, not one coordinator's: any coordinator keeps any entry."""
    return actor.is_authenticated and actor.can(Permission.MANAGE_DIRECTORY)


# Check-ins have no object-level policy on purpose: no route loads, lists or shows one. A person
# may submit one (Permission.USE_ACCOUNT) and sees only the result of their own submission, once.
def _is_self(actor: Any, person_id: int | None) -> bool:
    return actor.is_authenticated and person_id is not None and actor.id == person_id


def may_manage_training_record(actor: Any, record: Any) -> bool:
    """A mentor edits, removes and reads their own training records; nobody else's."""
    return _is_self(actor, record.mentor_id) and actor.can(Permission.MENTOR)


def may_read_training_evidence(actor: Any, record: Any) -> bool:
    """The evidence file is for its owner and for the coordinators who verify it."""
    return _is_self(actor, record.mentor_id) or (
        actor.is_authenticated and actor.can(Permission.COORDINATE_SCHEME)
    )


def may_review_training_record(actor: Any, record: Any) -> bool:
    """Coordinators verify training, but never their own (a coordinator may also mentor)."""
    return (
        actor.is_authenticated
        and actor.can(Permission.COORDINATE_SCHEME)
        and not _is_self(actor, record.mentor_id)
    )


def may_remove_supervision_entry(actor: Any, entry: Any) -> bool:
    """Supervision and peer-support entries are private to the mentor who logged them."""
    return _is_self(actor, entry.mentor_id)


def may_handle_support_request(actor: Any, support_request: Any) -> bool:
    return actor.is_authenticated and actor.can(Permission.COORDINATE_SCHEME)


def may_remove_conflict(actor: Any, conflict: Any) -> bool:
    """A declaration of a conflict of interest belongs to whoever made it; only they see it."""
    return _is_self(actor, conflict.declared_by_id)


def may_manage_request(actor: Any, request_record: Any) -> bool:
    """Self-referral only: a request is its requester's, and nobody else's, to see or change."""
    return actor.is_authenticated and actor.id == request_record.requester_id


def may_answer_offer(actor: Any, offer: Any) -> bool:
    """Only the mentor a doctor chose sees and answers that choice."""
    return actor.is_authenticated and actor.id == offer.mentor_id


def may_coordinate_request(actor: Any, request_record: Any) -> bool:
    """Coordinators help with requests that reached their queue, and see structured fields only."""
    return (
        actor.is_authenticated
        and actor.can(Permission.COORDINATE_SCHEME)
        and request_record.needs_coordinator
        and request_record.is_live
    )


# --- mentoring relationships (issue 7) ------------------------------------------------------------
# Only the two people in a relationship see it. Coordinators see figures (counts, dates, minutes)
# through `may_see_relationship_figures`, never a relationship page or any note.


def _party_to(actor: Any, relationship: Any) -> bool:
    return actor.is_authenticated and actor.id in (relationship.mentor_id, relationship.mentee_id)


def may_read_relationship(actor: Any, relationship: Any) -> bool:
    """The mentor and the mentee, and nobody else: not coordinators, not admins."""
    return _party_to(actor, relationship)


def may_agree_terms(actor: Any, relationship: Any) -> bool:
    """Either of the two records the agreement they made together, while it is active."""
    return _party_to(actor, relationship)


def may_log_session(actor: Any, relationship: Any) -> bool:
    """The mentor logs sessions (and edits their logs); the mentee reads the shared parts."""
    return actor.is_authenticated and actor.id == relationship.mentor_id


def may_read_session(actor: Any, session_log: Any) -> bool:
    return _party_to(actor, session_log.relationship_)


def may_read_private_reflection(actor: Any, session_log: Any) -> bool:
    """The mentor's private reflection is for that mentor only, never the mentee."""
    return actor.is_authenticated and actor.id == session_log.relationship_.mentor_id


def may_update_action(actor: Any, action: Any, relationship: Any) -> bool:
    """Actions are the mentee's own: they mark progress and add their reflection."""
    return actor.is_authenticated and actor.id == relationship.mentee_id


def may_end_relationship(actor: Any, relationship: Any) -> bool:
    """Either side can end at any time."""
    return _party_to(actor, relationship)


def may_give_feedback(actor: Any, relationship: Any) -> bool:
    return actor.is_authenticated and actor.id == relationship.mentee_id


def may_read_access_history(actor: Any, relationship: Any) -> bool:
    """The mentee sees who read their record and when."""
    return actor.is_authenticated and actor.id == relationship.mentee_id


def may_see_relationship_figures(actor: Any) -> bool:
    return actor.is_authenticated and actor.can(Permission.COORDINATE_SCHEME)


def load_or_404(model: type, object_id: Any, check: Callable[[Any, Any], bool]) -> Any:
    """Load a record and check the current person may act on it, in that order, or abort."""
    from mentoring.extensions import db

    record = db.session.get(model, object_id)
    if record is None:
        abort(404)
    if not check(current_user, record):
        refuse(record_type=model.__tablename__, record_id=object_id)
    return record


def found_or_404(
    record: Any, check: Callable[[Any, Any], bool], *, record_type: str, record_id: Any
):
    """The decision `load_or_404` makes, for a record the view has read itself (a row of the
    values a page shows, with the columns `check` asks about): none is 404, else `check` decides."""
    if record is None:
        abort(404)
    if not check(current_user, record):
        refuse(record_type=record_type, record_id=record_id)
    return record


def refuse(*, record_type: str | None = None, record_id: Any = None) -> None:
    """Refuse with 403, and keep a note of who was refused what (never of any content)."""
    from mentoring.audit.services import AuditAction, audit_record_now

    audit_record_now(
        action=AuditAction.ACCESS_REFUSED,
        actor_id=getattr(current_user, "id", None),
        record_type=record_type,
        record_id=record_id,
        detail=f"{request.method} {request.endpoint}",
    )
    abort(403)
