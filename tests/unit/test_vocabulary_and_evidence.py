"""Plain data and pure functions: the shared vocabularies, evidence sniffing, refresher dates."""

from __future__ import annotations

from datetime import date

from mentoring.core.vocabulary import (
    CAREER_STAGES,
    FORMATS,
    MENTORING_MODELS,
    SPECIALTIES,
    TIME_SLOTS,
    TOPICS,
    label,
    values,
)
from mentoring.training.evidence import content_type_of
from mentoring.training.queries import Refresher, add_years
from tests.factories import JPEG_BYTES, PDF_BYTES, PNG_BYTES


def test_the_topic_list_follows_domain_md_in_order():
    assert len(TOPICS) == 24
    assert TOPICS[0] == ("career_development", "Career development")
    assert TOPICS[-1] == ("dealing_with_injury", "Dealing with injury")
    assert "negative_thoughts" in values(TOPICS)
    assert len(values(TOPICS)) == 24


def test_vocabularies_cover_the_domain():
    assert values(MENTORING_MODELS) == {"egan", "grow", "clear", "oskar", "other"}
    assert values(FORMATS) == {"in_person", "video", "phone"}
    assert {"foundation", "sas", "consultant", "gp", "other"} <= values(CAREER_STAGES)
    assert {"anaesthetics", "general_practice", "psychiatry", "other"} <= values(SPECIALTIES)
    assert label(MENTORING_MODELS, "egan") == "Egan Skilled Helper"


def test_time_slots_cover_out_of_hours_and_nights_run_past_midnight():
    slots = {value: (start, end) for value, _label, start, end in TIME_SLOTS}
    assert slots["early_morning"] == (360, 480)
    assert slots["evening"] == (1080, 1320)
    assert slots["night"] == (1320, 1800)
    for start, end in slots.values():
        assert 0 <= start < 1440 and start < end <= start + 1440


def test_evidence_is_recognised_by_its_first_bytes():
    assert content_type_of(PDF_BYTES) == ("application/pdf", "pdf")
    assert content_type_of(PNG_BYTES) == ("image/png", "png")
    assert content_type_of(JPEG_BYTES) == ("image/jpeg", "jpg")
    assert content_type_of(b"GIF89a") is None
    assert content_type_of(b"PK\x03\x04 a zip called .pdf") is None
    assert content_type_of(b" %PDF-") is None


def test_refresher_dates():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    refresher = Refresher(date(2023, 1, 1), date(2026, 1, 1), date(2025, 7, 5))
    assert refresher.state(date(2025, 1, 1)) == "later"
    assert refresher.state(date(2025, 8, 1)) == "soon"
    assert refresher.state(date(2026, 1, 1)) == "overdue"
