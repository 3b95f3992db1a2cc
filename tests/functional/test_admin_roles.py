"""Admins grant and remove roles; nobody else can, and no admin can remove their own admin role."""

from __future__ import annotations

from mentoring.auth.models import User
from mentoring.permissions import Role
from tests.factories import make_user


def roles_of(db, user_id: int) -> set[Role]:
    db.session.expire_all()
    return set(db.session.get(User, user_id).roles)


def test_admin_grants_and_removes_roles(db, login_as):
    admin = login_as(Role.ADMIN)
    person = make_user(roles=[Role.DOCTOR])
    db.session.commit()

    response = admin.post(f"/admin/accounts/{person.id}", data={"roles": ["doctor", "mentor"]})
    assert response.status_code == 302
    assert roles_of(db, person.id) == {Role.DOCTOR, Role.MENTOR}

    response = admin.post(f"/admin/accounts/{person.id}", data={"roles": ["mentor"]})
    assert response.status_code == 302
    assert roles_of(db, person.id) == {Role.MENTOR}


def test_a_new_role_takes_effect_at_once(db, app, login_as):
    admin = login_as(Role.ADMIN)
    coordinator_to_be = login_as(Role.DOCTOR)
    assert coordinator_to_be.get("/admin/accounts").status_code == 403
    admin.post(f"/admin/accounts/{coordinator_to_be.user.id}", data={"roles": ["doctor", "admin"]})
    # The new admin is recognised at once, and first sent to set up a second factor.
    response = coordinator_to_be.get("/admin/accounts")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/two-factor"


def test_an_admin_cannot_remove_their_own_admin_role(db, login_as):
    admin = login_as(Role.ADMIN, Role.DOCTOR)
    response = admin.post(f"/admin/accounts/{admin.user.id}", data={"roles": ["doctor"]})
    assert response.status_code == 400
    assert "You cannot remove your own admin role" in response.get_data(as_text=True)
    assert roles_of(db, admin.user.id) == {Role.ADMIN, Role.DOCTOR}


def test_another_admin_can_remove_an_admin_role(db, login_as):
    first = login_as(Role.ADMIN)
    second = make_user(roles=[Role.ADMIN])
    db.session.commit()
    response = first.post(f"/admin/accounts/{second.id}", data={"roles": ["doctor"]})
    assert response.status_code == 302
    assert roles_of(db, second.id) == {Role.DOCTOR}


def test_unknown_role_is_refused_and_nothing_changes(db, login_as):
    admin = login_as(Role.ADMIN)
    person = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    response = admin.post(f"/admin/accounts/{person.id}", data={"roles": ["doctor", "root"]})
    assert response.status_code == 400
    assert "Choose only from the options shown" in response.get_data(as_text=True)
    assert roles_of(db, person.id) == {Role.DOCTOR}


def test_non_admins_cannot_change_roles(db, login_as):
    person = make_user(roles=[Role.DOCTOR])
    db.session.commit()
    for role in (Role.DOCTOR, Role.MENTOR, Role.COORDINATOR):
        client = login_as(role)
        response = client.post(f"/admin/accounts/{person.id}", data={"roles": ["admin"]})
        assert response.status_code == 403
        response = client.post(f"/admin/accounts/{client.user.id}", data={"roles": ["admin"]})
        assert response.status_code == 403
    assert roles_of(db, person.id) == {Role.DOCTOR}


def test_unknown_account_is_404(login_as):
    assert login_as(Role.ADMIN).get("/admin/accounts/999999").status_code == 404


def test_account_search_finds_by_email_and_name(db, login_as):
    admin = login_as(Role.ADMIN)
    make_user(email="grace.chen@nhs.net", display_name="Dr Grace Chen")
    make_user(email="owen.davies@nhs.net", display_name="Dr Owen Davies")
    db.session.commit()
    page = admin.get("/admin/accounts?q=grace").get_data(as_text=True)
    assert "grace.chen@nhs.net" in page
    assert "owen.davies@nhs.net" not in page
    page = admin.get("/admin/accounts?q=Davies").get_data(as_text=True)
    assert "owen.davies@nhs.net" in page
