"""Password hashing (argon2) and the password rule every account follows."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

PASSWORD_MAX_LENGTH = 128
_COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A fixed hash to verify against when no account matches, so a wrong email costs the same time as a
# wrong password and response times do not reveal who has an account.
_DUMMY_HASH: dict[tuple[int, int], str] = {}


def verify_against_nobody(password: str) -> None:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost)
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hasher.hash("not-a-real-account-password")
    verify_password(_DUMMY_HASH[key], password)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password may not be used, in words for the person choosing it, or None."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return f"Password must be {minimum} characters or more"
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Password must be {PASSWORD_MAX_LENGTH} characters or fewer"
    if password.lower() in _COMMON_PASSWORDS:
        return "This password is too common. Choose a different one, like 3 random words"
    user_inputs = [part for part in (email, email.split("@")[0], name) if part]
    if zxcvbn(password, user_inputs=user_inputs)["score"] < 3:
        return "This password is too easy to guess. Try 3 or 4 random words together"
    return None
