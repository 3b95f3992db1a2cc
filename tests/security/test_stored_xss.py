"""Stored XSS: hostile text in every free-text field comes back escaped, on every page, for every
role. The text is written straight into the database (as if a form's checks had been missed), so
only the templates' escaping stands between it and the browser."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import insert

from mentoring.audit.models import AuditEvent
from mentoring.directory.models import SupportService
from mentoring.permissions import Role
from tests.conftest import sign_in
from tests.factories import make_support_service, make_user
from tests.test_access_matrix import ROLES

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
RAW = ("<script>alert(", "<img src=x onerror", "javascript:")


@pytest.fixture
def hostile_world(db):
    people = {
        role: make_user(roles=roles, display_name=f"{SCRIPT}{ATTRIBUTE}"[:120])
        for role, roles in {
            "doctor": [Role.DOCTOR],
            "mentor": [Role.MENTOR, Role.DOCTOR],
            "other_mentor": [Role.MENTOR],
            "coordinator": [Role.COORDINATOR],
            "admin": [Role.ADMIN],
        }.items()
    }
    service = make_support_service(
        name=SCRIPT,
        self_referral=f"Write to us {SCRIPT}",
        phone=ATTRIBUTE[:40],
        website=f"https://example.org/?q={ATTRIBUTE}{SCRIPT}",
    )
    service_row = db.session.get(SupportService, service.id)
    service_row.description = f"{SCRIPT} {ATTRIBUTE}"
    service_row.confidentiality = f"{ATTRIBUTE} {SCRIPT}"
    db.session.execute(
        insert(AuditEvent).values(
            actor_id=people["doctor"].id, action="sign_in.failed", detail=SCRIPT + ATTRIBUTE
        )
    )
    db.session.commit()
    return people, {"service_id": service.id, **_hostile_mentoring(people, db)}


def _hostile_mentoring(people, db) -> dict:
    """Hostile text in training, profile, requests, offers, sessions and actions, with their ids."""
    from mentoring.relationships.session_models import ActionItem, SessionLog
    from mentoring.requests_.models import MentoringRequest, MentorOffer
    from tests.factories import (
        make_conflict,
        make_profile,
        make_supervision,
        make_training_record,
    )
    from tests.test_access_matrix import _offer, _relationship, _request_of

    hostile = f"{SCRIPT} {ATTRIBUTE}"
    mentor = people["mentor"]
    record = make_training_record(mentor, status="awaiting", title=hostile[:200])
    profile = make_profile(mentor)
    profile.bio = hostile
    profile.organisation = hostile
    entry = make_supervision(mentor)
    conflict = make_conflict(
        mentor_email=mentor.email,
        doctor_email="supervisee@nhs.net",
        declared_by=mentor,
        declared_as="mentor",
    )
    waiting = make_user(roles=[Role.DOCTOR], display_name=hostile[:120])
    queued = _request_of(waiting, needs_coordinator=True)
    queued.organisation = hostile
    queued.department = hostile
    queued.wishes = hostile
    db.session.commit()
    ids = {
        "record_id": record.id,
        "entry_id": entry.id,
        "conflict_id": conflict.id,
        "request_id": queued.id,
    }
    ids.update(_relationship(people))
    ids.update(_offer(people, "accepted"))
    log = db.session.get(SessionLog, ids["log_id"])
    log.summary = hostile
    log.reflection = hostile
    action = db.session.get(ActionItem, ids["action_id"])
    action.text = hostile
    action.mentee_reflection = hostile
    offered = db.session.get(
        MentoringRequest, db.session.get(MentorOffer, ids["offer_id"]).request_id
    )
    offered.wishes = hostile
    offered.organisation = hostile
    db.session.commit()
    return ids


def get_urls(app, people, ids) -> list[str]:
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in {"static", "core.nhsuk_assets"}:
                continue
            values = {
                **ids,
                "user_id": people["doctor"].id,
                "token": "not-a-real-token",
                "table_key": "wellbeing-by-week",
            }
            args = {name: values[name] for name in rule.arguments}
            urls.append(url_for(rule.endpoint, **args))
    # Filters and searches echo what was typed.
    urls += [
        f"/support?when={SCRIPT}&urgency={ATTRIBUTE}",
        f"/admin/accounts?q={SCRIPT}",
        f"/admin/audit?person={SCRIPT}",
        f"/auth/login?next={SCRIPT}",
    ]
    return urls


def test_hostile_text_is_escaped_on_every_page_for_every_role(app, db, hostile_world):
    people, ids = hostile_world
    service_id = ids["service_id"]
    shown = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            sign_in(client, people[role])
        for url in get_urls(app, people, ids):
            response = client.get(url)
            body = response.get_data(as_text=True)
            if response.mimetype == "text/html":
                for raw in RAW:
                    assert raw not in body, f"{raw!r} unescaped on {url} as {role}"
            else:
                # Downloads (CSV, JSON) are attachments or data, never rendered as a page.
                assert response.mimetype in {"text/csv", "application/json", "text/calendar"}, url
                assert response.headers["X-Content-Type-Options"] == "nosniff"
            shown[role, url] = body
    # The payloads really were shown, escaped, where names, entries and log details appear.
    assert "Write to us &lt;script&gt;alert(" in shown["doctor", "/support"]
    assert "&lt;script&gt;alert(" in shown["coordinator", f"/support/{service_id}/edit"]
    assert "&lt;script&gt;alert(" in shown["admin", "/admin/audit"]
    assert "&lt;script&gt;alert(" in shown["admin", "/admin/accounts"]
    assert "&lt;script&gt;alert(" in shown["doctor", "/account/my-data"]
    assert "\\u003cscript\\u003e" in shown["doctor", "/account/my-data.json"]
    # And in mentoring: the session summary for the mentee, the reflection for the mentor, the
    # doctor's own words for the mentor who accepted.
    relationship, log = ids["relationship_id"], ids["log_id"]
    session_url = f"/relationships/{relationship}/sessions/{log}"
    assert "&lt;script&gt;alert(" in shown["doctor", session_url]
    assert "&lt;script&gt;alert(" in shown["mentor", session_url]
    assert "&lt;script&gt;alert(" in shown["mentor", f"/requests/offers/{ids['offer_id']}/accepted"]
    assert "&lt;script&gt;alert(" in shown["mentor", f"/training/{ids['record_id']}/edit"]


def test_a_javascript_link_cannot_be_saved_as_a_services_website(login_as, db):
    coordinator = login_as(Role.COORDINATOR)
    page = coordinator.get("/support/new").get_data(as_text=True)
    assert 'name="website"' in page
    response = coordinator.post(
        "/support/new",
        data={
            "name": "Linked",
            "description": "x",
            "severity": "everyday",
            "kinds": ["emotional"],
            "website": "javascript://example.org/%0aalert(1)",
            "confidentiality": "x",
        },
    )
    assert response.status_code == 400
    assert "Enter a web address starting with https://" in response.get_data(as_text=True)
