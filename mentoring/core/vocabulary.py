"""The scheme's shared vocabularies, as plain data: (value, label) pairs in the order shown.

Values are stored in the database and must never change; labels may be reworded. Topics follow the
order of seed 003's Table 3 (most frequent first); career stages and specialties follow seed 000's
Table 2. The coarse groups are what anonymous check-ins and reports use: never more precise.
"""

from __future__ import annotations

Vocabulary = tuple[tuple[str, str], ...]

TOPICS: Vocabulary = (
    ("career_development", "Career development"),
    ("work_life_balance", "Work-life balance"),
    ("assessments_education", "Assessments and education"),
    ("relationships_with_colleagues", "Relationships with colleagues"),
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
    ("coping_after_injury_illness", "Coping with work after injury or illness"),
    ("dealing_with_illness", "Dealing with illness"),
    ("personal_relationships", "Personal relationships"),
    ("bullying_harassment", "Bullying or harassment"),
    ("return_to_work", "Return to work after injury or illness"),
    ("mental_health", "Mental health issues"),
    ("negative_thoughts_suicidal_ideation", "Negative thoughts or suicidal ideation"),
    ("physical_health", "Physical health"),
    ("dealing_with_injury", "Dealing with injury"),
)

# Choosing this topic always brings urgent help to the top, whatever else was answered.
URGENT_TOPICS: frozenset[str] = frozenset({"negative_thoughts_suicidal_ideation"})

CAREER_STAGES: Vocabulary = (
    ("foundation", "Foundation training"),
    ("core_training", "Core training"),
    ("specialty_training", "Specialty training"),
    ("locally_employed", "Locally employed doctor"),
    ("clinical_fellow", "Clinical fellow"),
    ("sas", "Specialty and specialist (SAS) doctor"),
    ("consultant", "Consultant"),
    ("general_practitioner", "General practitioner"),
    ("other", "Other"),
)

SPECIALTIES: Vocabulary = (
    ("anaesthetics", "Anaesthetics"),
    ("emergency_medicine", "Emergency medicine"),
    ("general_medicine", "General medicine"),
    ("geriatric_medicine", "Geriatric medicine"),
    ("intensive_care", "Intensive care"),
    ("obstetrics_gynaecology", "Obstetrics and gynaecology"),
    ("paediatrics", "Paediatrics"),
    ("psychiatry", "Psychiatry"),
    ("radiology", "Radiology"),
    ("pathology", "Pathology"),
    ("surgery", "Surgery"),
    ("general_practice", "General practice"),
    ("other_medical", "Other medical specialty"),
    ("other", "Other"),
)

CAREER_STAGE_GROUPS: Vocabulary = (
    ("foundation", "Foundation training"),
    ("training", "Core or specialty training"),
    ("locally_employed_fellow", "Locally employed doctor or clinical fellow"),
    ("sas", "Specialty and specialist (SAS) doctor"),
    ("consultant", "Consultant"),
    ("gp", "General practitioner"),
    ("other", "Other"),
)

SPECIALTY_GROUPS: Vocabulary = (
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
    "core_training": "training",
    "specialty_training": "training",
    "locally_employed": "locally_employed_fellow",
    "clinical_fellow": "locally_employed_fellow",
    "sas": "sas",
    "consultant": "consultant",
    "general_practitioner": "gp",
    "other": "other",
}

SPECIALTY_GROUP_OF: dict[str, str] = {
    "anaesthetics": "anaesthetics_icu",
    "emergency_medicine": "emergency",
    "general_medicine": "medical",
    "geriatric_medicine": "medical",
    "intensive_care": "anaesthetics_icu",
    "obstetrics_gynaecology": "paediatrics_obstetrics",
    "paediatrics": "paediatrics_obstetrics",
    "psychiatry": "psychiatry",
    "radiology": "radiology_pathology",
    "pathology": "radiology_pathology",
    "surgery": "surgical",
    "general_practice": "general_practice",
    "other_medical": "medical",
    "other": "other",
}

# Any group question in an anonymous check-in may be declined.
NOT_SAID = "not_said"
NOT_SAID_LABEL = "Prefer not to say"


def values(vocabulary: Vocabulary) -> tuple[str, ...]:
    return tuple(value for value, _label in vocabulary)


def label(vocabulary: Vocabulary, value: str) -> str:
    return dict(vocabulary).get(value, value)
