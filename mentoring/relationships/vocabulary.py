"""Vocabularies of the relationship lifecycle and session logs: stored values, shown labels.

Reports aggregate on these values, so never change or reuse one; add new ones freely.
"""

from __future__ import annotations

from mentoring.core.vocabulary import Choices

MEETING_FREQUENCIES: Choices = (
    ("weekly", "Every week"),
    ("fortnightly", "Every two weeks"),
    ("monthly", "Every month"),
    ("six_weekly", "Every six weeks"),
    ("as_agreed", "As we agree each time"),
)

# Why a relationship ended. The mentee may end without saying why ("not_given").
ENDING_REASONS: Choices = (
    ("goals_met", "The mentee's goals were met"),
    ("planned_sessions_done", "The planned sessions are complete"),
    ("mentee_moved_on", "The mentee has moved on or no longer needs mentoring"),
    ("different_support", "Other support fits better now"),
    ("not_a_good_fit", "The match was not a good fit"),
    ("mentor_unable", "The mentor can no longer continue"),
    ("other", "Another reason"),
    ("not_given", "No reason given"),
)

# Kinds of service a mentor pointed the mentee towards: the kind only, never any detail.
SIGNPOST_KINDS: Choices = (
    ("gp", "GP"),
    ("occupational_health", "Occupational health"),
    ("doctors_confidential_service", "A confidential support service for doctors"),
    ("urgent_mental_health", "Urgent mental health help"),
    ("employee_assistance", "Employee assistance programme"),
    ("educational_supervisor", "Educational or clinical supervisor"),
    ("professional_body", "Professional body, union or defence organisation"),
    ("wellbeing_service", "Staff well-being service"),
    ("other", "Another service"),
)

ACTION_STATUSES: Choices = (
    ("open", "Open"),
    ("done", "Done"),
    ("dropped", "Dropped"),
)

# The mentee's optional feedback on ending: 1 (not helpful) to 5 (very helpful).
HELPFULNESS: Choices = (
    ("5", "Very helpful"),
    ("4", "Helpful"),
    ("3", "Somewhat helpful"),
    ("2", "Not very helpful"),
    ("1", "Not helpful"),
)

PARTIES: Choices = (("mentor", "Mentor"), ("mentee", "Mentee"))

# What is confidential and where its limits lie: shown to both when they agree terms.
CONFIDENTIALITY_TERMS = (
    "What you talk about stays between the two of you. Your mentor keeps notes in this service; "
    "they are encrypted, and only the two of you can read the shared notes.",
    "Nothing is passed to your employer, educational supervisor, or the scheme's coordinators. "
    "Coordinators see only that sessions took place, their dates and lengths.",
    "The limit: if either of you believes someone is at serious risk of harm, including the "
    "mentee, or that patients are at risk, the mentor may need to act. Where possible the mentor "
    "will talk to the mentee first.",
)

ENDING_TERMS = (
    "Either of you can end the relationship at any time from the relationship page. The mentee "
    "does not have to give a reason, and can ask for a new mentor without any fault."
)
