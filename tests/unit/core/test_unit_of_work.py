"""Work that cannot be undone waits for the commit: it runs after one, never after a failed one."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from mentoring.auth.models import User
from mentoring.core import unit_of_work
from tests.factories import make_user


def test_after_commit_work_runs_once_the_commit_succeeds(db):
    done = []
    make_user()
    unit_of_work.after_commit(lambda: done.append("removed"))
    assert done == []
    unit_of_work.commit()
    assert done == ["removed"]
    unit_of_work.commit()
    assert done == ["removed"]  # once


def test_after_commit_work_is_dropped_when_the_commit_fails_or_is_rolled_back(db):
    done = []
    make_user(email="twice@nhs.net")
    db.session.commit()
    unit_of_work.after_commit(lambda: done.append("removed"))
    db.session.add(User(email="twice@nhs.net", display_name="Dr Twice", password_hash="x"))
    with pytest.raises(IntegrityError):
        unit_of_work.commit()  # the duplicate address fails the commit itself
    unit_of_work.commit()
    assert done == []
    unit_of_work.after_commit(lambda: done.append("removed"))
    unit_of_work.rollback()
    unit_of_work.commit()
    assert done == []
