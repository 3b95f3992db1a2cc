"""The anonymised appraisal record: training, supervision, banded mentoring figures, print, CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from mentoring.mentors.appraisal import MentoringActivity, mentee_band
from mentoring.permissions import Role
from tests.factories import make_supervision, make_training_record, make_user


@pytest.fixture
def mentor_with_history(db, login_as):
    mentor = login_as(Role.MENTOR, display_name="Dr Appraised")
    today = date.today()
    make_training_record(
        mentor.user,
        title="GROW in practice",
        completed_on=today - timedelta(days=60),
        minutes=450,
        models=("grow",),
    )
    make_training_record(
        mentor.user, title="Old course", completed_on=today - timedelta(days=900), minutes=600
    )
    make_training_record(
        mentor.user,
        status="awaiting",
        title='=HYPERLINK("x")',
        completed_on=today - timedelta(days=10),
        minutes=120,
    )
    make_supervision(mentor.user, held_on=today - timedelta(days=20), minutes=90)
    make_supervision(mentor.user, held_on=today - timedelta(days=5), minutes=60)
    make_supervision(
        mentor.user, held_on=today - timedelta(days=8), minutes=45, kind="peer_support"
    )
    make_supervision(mentor.user, held_on=today - timedelta(days=800), minutes=600)
    # Another person, mentee-to-be, whose name must never appear.
    make_user(display_name="Dr Never Named")
    db.session.commit()
    return mentor


def test_the_record_covers_the_chosen_period(mentor_with_history):
    start = (date.today() - timedelta(days=365)).isoformat()
    end = date.today().isoformat()
    response = mentor_with_history.get(f"/mentor/appraisal?start={start}&end={end}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "GROW in practice" in page
    assert "Old course" not in page
    assert "Not yet verified" in page
    assert "Verified training in the period: <strong>7.5 hours</strong>" in page
    assert "Mentor supervision" in page and "2 sessions, 2.5 hours" in page
    assert "Peer support" in page and "1 session, 0.75 hours" in page
    assert "Total: <strong>3.25 hours</strong>" in page
    assert "Mentoring figures come from session logs" in page
    assert re.search(r"Sessions\s*</dt>\s*<dd[^>]*>\s*0\s*</dd>", page)
    assert "1 session, 0.75 hours" in page
    assert "Dr Never Named" not in page
    assert 'data-module="app-print"' in page


def test_the_default_period_is_the_last_year(mentor_with_history):
    page = mentor_with_history.get("/mentor/appraisal").get_data(as_text=True)
    assert "GROW in practice" in page
    assert (date.today() - timedelta(days=365)).isoformat() in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-05-01&end=2026-04-01", "The end of the period must be on or after its start"),
        ("start=&end=2026-04-01", "Enter the first day of the period"),
        ("start=2026-13-01&end=2026-04-01", "Enter a real date"),
    ],
)
def test_a_bad_period_is_refused(mentor_with_history, query, message):
    response = mentor_with_history.get(f"/mentor/appraisal?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "GROW in practice" not in response.get_data(as_text=True)


def test_the_record_downloads_as_csv(mentor_with_history):
    start = (date.today() - timedelta(days=365)).isoformat()
    end = date.today().isoformat()
    response = mentor_with_history.get(f"/mentor/appraisal/download?start={start}&end={end}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="mentoring-appraisal-record-{start}-to-{end}.csv"'
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "item", "value"]
    cells = {(section, item): value for section, item, value in rows[1:]}
    assert cells[("record", "mentor")] == "Dr Appraised"
    assert cells[("training", "verified training hours")] == "7.5"
    assert cells[("supervision", "total hours")] == "3.25"
    assert cells[("mentoring", "mentees")] == "None"
    assert cells[("mentoring", "sessions")] == "0"
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert "Dr Never Named" not in response.get_data(as_text=True)


def test_a_bad_period_download_goes_back_to_the_form(mentor_with_history):
    response = mentor_with_history.get("/mentor/appraisal/download?start=x&end=y")
    assert response.status_code == 302
    assert "/mentor/appraisal?" in response.headers["Location"]


@pytest.mark.parametrize(
    ("count", "band"),
    [
        (0, "None"),
        (1, "1 to 2"),
        (2, "1 to 2"),
        (3, "3 to 5"),
        (5, "3 to 5"),
        (6, "6 or more"),
        (40, "6 or more"),
    ],
)
def test_mentee_numbers_are_banded(count, band):
    assert mentee_band(count) == band
    assert MentoringActivity(mentees=count).mentee_band == band


def test_the_print_stylesheet_hides_everything_but_the_record(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "@media print" in css
    assert ".app-no-print" in css


def test_cells_that_look_like_formulas_are_neutralised():
    from mentoring.mentors.appraisal import _safe_cell

    assert _safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _safe_cell("+1") == "'+1"
    assert _safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert _safe_cell("Dr Sam") == "Dr Sam"
    assert _safe_cell(7) == "7"
