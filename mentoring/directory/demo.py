"""An example support directory for the demo scheme. Every name starts with "Example:"."""

from __future__ import annotations

from mentoring.directory.models import Severity
from mentoring.directory.opening import parse_opening_hours
from mentoring.directory.queries import EXAMPLE_PREFIX
from mentoring.directory.services import SupportServiceDetails, support_service_create

_CONFIDENTIAL_EXTERNAL = (
    "Independent of your employer: nobody at work is told you made contact unless you ask them "
    "to be, or someone's life is at immediate risk."
)

EXAMPLE_SERVICES: list[dict] = [
    {
        "name": "Doctors' confidential support line",
        "description": "Talk to a trained listener, by phone or online chat, about anything.",
        "severity": Severity.URGENT,
        "kinds": ("emotional", "crisis"),
        "topics": (),
        "all_hours": True,
        "phone": "0300 000 0001",
        "website": "https://support-line.example.org",
        "internal": False,
    },
    {
        "name": "Crisis text service",
        "description": "Text when you feel overwhelmed or unsafe; a trained volunteer replies.",
        "severity": Severity.URGENT,
        "kinds": ("crisis", "emotional"),
        "topics": ("negative_thoughts", "mental_health", "managing_a_crisis"),
        "all_hours": True,
        "self_referral": "Text SUPPORT to 80000 at any time",
        "internal": False,
    },
    {
        "name": "Practitioner health service",
        "description": "Free, confidential assessment and treatment for doctors with mental "
        "health or addiction problems, outside your own GP practice.",
        "severity": Severity.STRUGGLING,
        "kinds": ("emotional", "health"),
        "topics": (
            "mental_health",
            "stress",
            "dealing_with_illness",
            "work_after_injury_illness",
        ),
        "hours": "Mon-Fri 08:00-20:00\nSat 08:00-14:00",
        "self_referral": "Register online or by phone; no referral needed",
        "phone": "0300 000 0002",
        "website": "https://practitioner-health.example.org",
        "internal": False,
    },
    {
        "name": "Occupational health",
        "description": "Advice on fitness to work, adjustments and returning after illness or "
        "injury.",
        "severity": Severity.STRUGGLING,
        "kinds": ("health", "work"),
        "topics": (
            "physical_health",
            "return_to_work",
            "work_after_injury_illness",
            "dealing_with_injury",
        ),
        "hours": "Mon-Fri 08:30-16:30",
        "self_referral": "Book an appointment yourself through the staff intranet",
        "email": "occupational.health@trust.example.org",
        "internal": True,
        "confidentiality": "Run by your employer. Clinical records stay within occupational "
        "health; your manager sees advice on fitness for work only with your consent.",
    },
    {
        "name": "Staff psychological well-being hub",
        "description": "Short courses of talking therapy and group sessions for staff, "
        "including evening appointments.",
        "severity": Severity.STRUGGLING,
        "kinds": ("emotional",),
        "topics": ("stress", "morale", "mental_health", "workload", "managing_a_crisis"),
        "hours": "Mon-Thu 08:00-21:00\nFri 08:00-17:00",
        "self_referral": "Fill in the short form on the website",
        "website": "https://wellbeing-hub.example.org",
        "internal": True,
        "confidentiality": "Run by your employer but separate from your department: your "
        "manager is not told you have been in touch.",
    },
    {
        "name": "Freedom to speak up guardian",
        "description": "Raise worries about bullying, harassment or safety confidentially.",
        "severity": Severity.STRUGGLING,
        "kinds": ("colleagues",),
        "topics": ("bullying_harassment", "colleague_relationships"),
        "hours": "Mon-Fri 09:00-17:00",
        "email": "speak.up@trust.example.org",
        "phone": "01632 960 003",
        "internal": True,
        "confidentiality": "Your name is kept confidential unless you agree otherwise.",
    },
    {
        "name": "Peer mentoring scheme",
        "description": "A trained doctor-mentor outside your own department, for development "
        "conversations about career, workload or anything else.",
        "severity": Severity.EVERYDAY,
        "kinds": ("work",),
        "topics": (
            "career_development",
            "work_life_balance",
            "assessments_education",
            "career_choice",
            "self_confidence",
            "taking_an_opportunity",
        ),
        "hours": "Mon-Fri 07:00-21:00\nSat-Sun 09:00-13:00",
        "self_referral": "Ask for a mentor in this service: choose from a shortlist",
        "internal": True,
        "confidentiality": "Only you and your mentor see what you discuss; coordinators see "
        "numbers only.",
    },
    {
        "name": "Medical defence and money advice line",
        "description": "Help with complaints, regulatory worries, contracts and money.",
        "severity": Severity.EVERYDAY,
        "kinds": ("money_legal",),
        "topics": (),
        "hours": "Mon-Fri 09:00-17:00\nMon-Fri 18:00-22:00",
        "phone": "0300 000 0004",
        "website": "https://advice.example.org",
        "internal": False,
    },
]


def demo_directory_create() -> None:
    for entry in EXAMPLE_SERVICES:
        support_service_create(
            details=SupportServiceDetails(
                name=f"{EXAMPLE_PREFIX} {entry['name']}",
                description=entry["description"],
                severity=entry["severity"],
                kinds=entry["kinds"],
                topics=entry["topics"],
                open_all_hours=entry.get("all_hours", False),
                windows=tuple(parse_opening_hours(entry.get("hours", ""))),
                self_referral=entry.get("self_referral"),
                phone=entry.get("phone"),
                website=entry.get("website"),
                email=entry.get("email"),
                is_internal=entry["internal"],
                confidentiality=entry.get("confidentiality", _CONFIDENTIAL_EXTERNAL),
            )
        )
