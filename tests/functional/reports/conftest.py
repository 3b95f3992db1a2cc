"""The fixed scheme of `helpers`, and a signed-in coordinator."""

from __future__ import annotations

import pytest

from mentoring.permissions import Role
from tests.functional.reports.helpers import build_scheme


@pytest.fixture
def scheme(db):
    build_scheme()


@pytest.fixture
def coordinator(login_as):
    return login_as(Role.COORDINATOR)
