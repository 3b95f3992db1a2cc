"""Every form, hostile input: never a server error, and a refusal never leaves a partial write.

The routes come from `app.url_map` (every rule accepting POST), so a new form is fuzzed without
anyone adding it here. Public forms are posted anonymously (the second sign-in step with a
password step already passed); every other form by a person holding every role, so no form is
skipped for want of permission. Field names come from the form's own page where it has one, plus
names nobody expects; values are long, unicode, markup, SQL, numbers, lists, or missing.
"""

from __future__ import annotations

import re
import time

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring import create_app
from mentoring.auth import tokens
from mentoring.auth.email_change import EMAIL_CHANGE
from mentoring.auth.session_policy import PENDING_AT, PENDING_USER
from mentoring.extensions import limiter
from mentoring.permissions import Role
from tests.conftest import sign_in
from tests.factories import make_support_service, make_user
from tests.test_access_matrix import database_snapshot

# Modest: the suite runs twice in CI (SQLite, PostgreSQL) on two cores.
EXAMPLES_PER_FORM = 12

PUBLIC_FORMS = {
    "auth.login",
    "auth.register",
    "auth.forgot_password",
    "auth.reset_password",
    "auth.accept_invitation",
    "security.two_factor",
    "security.email_change_confirm",
}


def post_endpoints() -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted({rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods})


HOSTILE_STRINGS = [
    "",
    " ",
    "a" * 5000,
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE user_account; --",
    "' OR '1'='1",
    "\x00",
    "nul\x00inside",
    "\u202eevil",
    "💥" * 300,
    "Zoë Ñúñez-Ó'Brien",
    "0",
    "-1",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "%s%s%n",
    "{{ 7*7 }}",
    "y",
    "on",
    "doctor",
    "admin",
    "person@nhs.net",
    "Mon-Fri 09:00-17:00",
]
VALUES = st.one_of(st.sampled_from(HOSTILE_STRINGS), st.text(max_size=200))
FIELD_VALUES = st.one_of(VALUES, st.lists(VALUES, min_size=0, max_size=3))


@pytest.fixture
def world(app, db):
    """A person with every role, someone to act upon, a directory entry, and valid links."""
    everyone = make_user(roles=list(Role), email="all-roles@nhs.net")
    target = make_user(roles=[Role.DOCTOR], email="target@nhs.net")
    pending = make_user(roles=[Role.DOCTOR], email="pending@nhs.net", second_factor=True)
    service = make_support_service()
    db.session.commit()
    # Records that the person with every role owns, so object-level forms are reached too.
    owned = _owned_records(everyone, target, db)
    with app.test_request_context():
        made = {
            "everyone": everyone,
            "target_id": target.id,
            "pending_id": pending.id,
            "service_id": service.id,
            **owned,
            "reset": tokens.make_token(
                tokens.RESET_PASSWORD,
                {"user": target.id, "state": tokens.fingerprint(target.password_hash)},
            ),
            "invitation": tokens.make_token(
                tokens.INVITATION, {"email": "invited@nhs.net", "roles": ["doctor"]}
            ),
            "email_change": tokens.make_token(
                EMAIL_CHANGE,
                {
                    "user": target.id,
                    "email": "moved@nhs.net",
                    "state": tokens.fingerprint(target.email),
                },
            ),
        }
    return made


def _owned_records(everyone, target, db) -> dict:
    from tests.factories import (
        make_conflict,
        make_supervision,
        make_support_request,
        make_training_record,
    )
    from tests.test_access_matrix import _offer, _relationship, _request_of

    people = {"mentor": everyone, "doctor": target}
    waiting = make_user(roles=[Role.DOCTOR], email="waiting@nhs.net")
    queued = _request_of(waiting, needs_coordinator=True)
    records = {
        "record_id": make_training_record(everyone, status="awaiting").id,
        "entry_id": make_supervision(everyone).id,
        "support_request_id": make_support_request(everyone).id,
        "conflict_id": make_conflict(
            mentor_email=everyone.email,
            doctor_email="supervisee@nhs.net",
            declared_by=everyone,
            declared_as="mentor",
        ).id,
        "queued_request_id": queued.id,
    }
    db.session.commit()
    records.update(_relationship(people))
    records.update(_offer(people, "pending"))
    return records


# Route arguments whose value differs by route: a support request's number, a request's key.
ARGUMENT_BY_ENDPOINT = {
    ("mentor_support.support_request_handled", "request_id"): "support_request_id",
    ("coordination.suggest", "request_id"): "queued_request_id",
    ("coordination.widen", "request_id"): "queued_request_id",
}
OWNED_ARGUMENTS = {
    "record_id",
    "entry_id",
    "conflict_id",
    "relationship_id",
    "log_id",
    "action_id",
    "offer_id",
}


def url_for_endpoint(app, endpoint: str, world) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    args = {}
    for name in rule.arguments:
        if (endpoint, name) in ARGUMENT_BY_ENDPOINT:
            args[name] = world[ARGUMENT_BY_ENDPOINT[(endpoint, name)]]
        elif name in OWNED_ARGUMENTS:
            args[name] = world[name]
        elif name == "service_id":
            args[name] = world["service_id"]
        elif name == "user_id":
            args[name] = world["target_id"]
        elif name == "token":
            args[name] = {
                "auth.reset_password": world["reset"],
                "auth.accept_invitation": world["invitation"],
                "security.email_change_confirm": world["email_change"],
            }.get(endpoint, "not-a-real-token")
        else:
            raise AssertionError(f"{endpoint}: no value for <{name}>; add one here")
    with app.test_request_context():
        return url_for(endpoint, **args)


def client_for(app, db, endpoint: str, world):
    client = app.test_client()
    if endpoint == "security.two_factor":
        with client.session_transaction() as session:
            session[PENDING_USER] = world["pending_id"]
            session[PENDING_AT] = int(time.time())
    elif endpoint not in PUBLIC_FORMS:
        db.session.refresh(world["everyone"])  # sign-outs rotate the token
        sign_in(client, world["everyone"])
    return client


def field_names(client, url: str) -> list[str]:
    page = client.get(url)
    names = set(re.findall(r'name="([\w-]+)"', page.get_data(as_text=True)))
    return sorted(names - {"csrf_token"}) + ["unexpected_field"]


@pytest.mark.parametrize("endpoint", post_endpoints())
def test_hostile_input_never_breaks_a_form(app, db, world, endpoint):
    url = url_for_endpoint(app, endpoint, world)
    names = field_names(client_for(app, db, endpoint, world), url) or ["unexpected_field"]

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.dictionaries(st.sampled_from(names), FIELD_VALUES, max_size=len(names)))
    def post_hostile(data):
        limiter.reset()
        client = client_for(app, db, endpoint, world)
        before = database_snapshot(db)
        response = client.post(url, data=data)
        assert response.status_code < 500, (endpoint, data)
        if response.status_code >= 400:
            assert database_snapshot(db) == before, f"{endpoint} refused {data!r} but wrote"

    post_hostile()


def test_every_post_route_is_fuzzed():
    """Nothing is left out: the list above is the url_map's, and each route resolves its URL."""
    assert len(post_endpoints()) >= 15
    assert set(post_endpoints()) >= PUBLIC_FORMS


def test_a_nul_byte_is_refused_before_any_form_sees_it(client):
    response = client.post("/auth/login", data={"email": "a\x00@nhs.net", "password": "x"})
    assert response.status_code == 400


def test_a_nul_byte_in_any_value_of_the_form_or_query_is_refused(client):
    # The second value of a field sent twice, and a query string.
    data = {"email": ["a@nhs.net", "b\x00@nhs.net"], "password": "x"}
    assert client.post("/auth/login", data=data).status_code == 400
    assert client.get("/auth/login?next=%2Fhome%00").status_code == 400
    assert client.get("/auth/login?next=%2Fhome").status_code == 200
