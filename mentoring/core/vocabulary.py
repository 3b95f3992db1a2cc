"""The scheme's shared vocabularies: plain data that every domain imports.

Each vocabulary is a tuple of `(value, label)` pairs in the order people see them. Values are stored
in the database; labels are what pages show. Add to a list freely; never change or reuse a value.
Topics follow seed 003's Table 3 (most frequent first); career stages and specialties follow seed
000's Table 2. The coarse groups are what anonymous check-ins and reports use: never more precise.
"""

from __future__ import annotations

Choices = tuple[tuple[str, str], ...]

# Seed 000, Table 2, with "other" for everyone else.
CAREER_STAGES: Choices = (
    ("foundation", "Foundation training"),
    ("core", "Core training"),
    ("specialty_training", "Specialty training"),
    ("locally_employed", "Locally employed doctor"),
    ("clinical_fellow", "Clinical fellow"),
    ("sas", "Specialty and specialist (SAS)"),
    ("consultant", "Consultant"),
    ("gp", "General practitioner"),
    ("other", "Other"),
)

# Seed 000, Table 2, with general practice and "other".
SPECIALTIES: Choices = (
    ("anaesthetics", "Anaesthetics"),
    ("clinical_genetics", "Clinical genetics"),
    ("emergency_medicine", "Emergency medicine"),
    ("general_medicine", "General medicine"),
    ("general_practice", "General practice"),
    ("genitourinary_medicine", "Genitourinary medicine"),
    ("geriatric_medicine", "Geriatric medicine"),
    ("haematology", "Haematology"),
    ("intensive_care", "Intensive care"),
    ("neurology", "Neurology"),
    ("obstetrics_gynaecology", "Obstetrics and gynaecology"),
    ("occupational_medicine", "Occupational medicine"),
    ("oncology", "Oncology"),
    ("ophthalmology", "Ophthalmology"),
    ("paediatrics", "Paediatrics"),
    ("pathology", "Pathology"),
    ("psychiatry", "Psychiatry"),
    ("radiology", "Radiology"),
    ("rehabilitation_medicine", "Rehabilitation medicine"),
    ("renal_medicine", "Renal medicine"),
    ("respiratory_medicine", "Respiratory medicine"),
    ("surgery", "Surgery"),
    ("other", "Other"),
)

# Models a mentor can be trained in. Session templates (a later issue) key on these values.
MENTORING_MODELS: Choices = (
    ("egan", "Egan Skilled Helper"),
    ("grow", "GROW"),
    ("clear", "CLEAR"),
    ("oskar", "OSKAR"),
    ("other", "Another model"),
)

FORMATS: Choices = (
    ("in_person", "In person"),
    ("video", "Video call"),
    ("phone", "Phone"),
)

# Seed 003, Table 3: issues mentees bring, most frequent first.
TOPICS: Choices = (
    ("career_development", "Career development"),
    ("work_life_balance", "Work-life balance"),
    ("assessments_education", "Assessments and education"),
    ("colleague_relationships", "Relationships with colleagues"),
    ("career_choice", "Career choice"),
    ("workload", "Workload"),
    ("stress", "Stress"),
    ("taking_an_opportunity", "Taking an opportunity"),
    ("morale", "Morale"),
    ("developing_teams_services", "Developing teams or services"),
    ("managing_change", "Managing change"),
    ("managing_a_crisis", "Managing a crisis"),
    ("engagement", "Engagement"),
    ("self_confidence", "Self-confidence"),
    ("clinical_situations", "Thinking through clinical situations"),
    ("work_after_injury_illness", "Coping with work after injury or illness"),
    ("dealing_with_illness", "Dealing with illness"),
    ("personal_relationships", "Personal relationships"),
    ("bullying_harassment", "Bullying or harassment"),
    ("return_to_work", "Return to work after injury or illness"),
    ("mental_health", "Mental health issues"),
    ("negative_thoughts", "Negative thoughts or suicidal ideation"),
    ("physical_health", "Physical health"),
    ("dealing_with_injury", "Dealing with injury"),
)

# Choosing this topic always brings urgent help to the top, whatever else was answered.
URGENT_TOPICS: frozenset[str] = frozenset({"negative_thoughts"})

CAREER_STAGE_GROUPS: Choices = (
    ("foundation", "Foundation training"),
    ("training", "Core or specialty training"),
    ("locally_employed_fellow", "Locally employed doctor or clinical fellow"),
    ("sas", "Specialty and specialist (SAS) doctor"),
    ("consultant", "Consultant"),
    ("gp", "General practitioner"),
    ("other", "Other"),
)

SPECIALTY_GROUPS: Choices = (
    ("medical", "Medicine and medical specialties"),
    ("surgical", "Surgery and surgical specialties"),
    ("anaesthetics_icu", "Anaesthetics and intensive care"),
    ("emergency", "Emergency medicine"),
    ("paediatrics_obstetrics", "Paediatrics, obstetrics and gynaecology"),
    ("psychiatry", "Psychiatry"),
    ("radiology_pathology", "Radiology and pathology"),
    ("general_practice", "General practice"),
    ("other", "Other"),
)

# Which coarse group each precise value falls in, for when profiles hold the precise one.
CAREER_STAGE_GROUP_OF: dict[str, str] = {
    "foundation": "foundation",
    "core": "training",
    "specialty_training": "training",
    "locally_employed": "locally_employed_fellow",
    "clinical_fellow": "locally_employed_fellow",
    "sas": "sas",
    "consultant": "consultant",
    "gp": "gp",
    "other": "other",
}

SPECIALTY_GROUP_OF: dict[str, str] = {
    "anaesthetics": "anaesthetics_icu",
    "clinical_genetics": "medical",
    "emergency_medicine": "emergency",
    "general_medicine": "medical",
    "general_practice": "general_practice",
    "genitourinary_medicine": "medical",
    "geriatric_medicine": "medical",
    "haematology": "medical",
    "intensive_care": "anaesthetics_icu",
    "neurology": "medical",
    "obstetrics_gynaecology": "paediatrics_obstetrics",
    "occupational_medicine": "medical",
    "oncology": "medical",
    "ophthalmology": "surgical",
    "paediatrics": "paediatrics_obstetrics",
    "pathology": "radiology_pathology",
    "psychiatry": "psychiatry",
    "radiology": "radiology_pathology",
    "rehabilitation_medicine": "medical",
    "renal_medicine": "medical",
    "respiratory_medicine": "medical",
    "surgery": "surgical",
    "other": "other",
}

# Any group question in an anonymous check-in may be declined.
NOT_SAID = "not_said"
NOT_SAID_LABEL = "Prefer not to say"

DAYS_OF_WEEK: Choices = (
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
)

# Times of day a mentor can offer, as (value, label, start minute, end minute) from midnight of the
# day they belong to. Night runs past midnight into the next morning: its end is beyond 1440.
TIME_SLOTS: tuple[tuple[str, str, int, int], ...] = (
    ("early_morning", "Early morning, 6am to 8am", 6 * 60, 8 * 60),
    ("daytime", "Daytime, 8am to 6pm", 8 * 60, 18 * 60),
    ("evening", "Evening, 6pm to 10pm", 18 * 60, 22 * 60),
    ("night", "Night, 10pm to 6am", 22 * 60, 30 * 60),
)

SUPERVISION_KINDS: Choices = (
    ("supervision", "Mentor supervision"),
    ("peer_support", "Peer support"),
)


def values(choices: Choices) -> frozenset[str]:
    return frozenset(value for value, _label in choices)


def label(choices: Choices, value: str | None) -> str:
    return dict(choices).get(value or "", value or "")


# How far on in a career each stage is, for "more senior" in matching. Equal ranks are peers.
CAREER_STAGE_SENIORITY: dict[str, int] = {
    "foundation": 0,
    "core": 1,
    "locally_employed": 1,
    "clinical_fellow": 2,
    "specialty_training": 2,
    "other": 2,
    "sas": 3,
    "gp": 4,
    "consultant": 4,
}

# A mentor may say how they describe their gender, so a doctor who asks can be matched on it.
GENDERS: Choices = (
    ("woman", "Woman"),
    ("man", "Man"),
    ("non_binary", "Non-binary"),
)
