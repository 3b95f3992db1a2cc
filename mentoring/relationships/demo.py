"""Demo relationships at every stage of the lifecycle, with sessions on each of the four models.

- Dr Amara Okafor (doctor@demo.test) and Dr Sam Patel (mentor@demo.test): just matched, nothing
  agreed yet, so the demo pair can walk through agreeing terms, logging and reviewing themselves.
- Dr Priya Nair with Dr Owen Davies (paused for new mentees, still seeing his own): CLEAR and OSKAR
  sessions; the six planned sessions are reached, so the review (extend or close) is due.
- Dr Tom Evans with Dr Grace Chen: GROW and Egan sessions, actions open and done, and the next
  session set for tomorrow (so the reminder command has something to send).

Sam keeps a free place, so the demo's other journeys (verify Sam, match a doctor) still work.
- Dr Fatima Hussain with Dr Hannah Lewis: extended once, then ended (goals met); feedback given.
- Dr Liam O'Brien with Grace: ended early by the mentee, without a reason.
"""

from __future__ import annotations

from datetime import date, timedelta

from mentoring.auth.models import User, utcnow
from mentoring.extensions import db
from mentoring.relationships.models import MenteeFeedback, MentoringRelationship
from mentoring.relationships.services import AgreementTerms, agreement_record
from mentoring.relationships.session_models import ActionItem
from mentoring.relationships.session_services import (
    NewAction,
    SessionDetails,
    StageEntry,
    action_update,
    session_log_record,
)
from mentoring.requests_.models import MentoringRequest
from mentoring.requests_.services import _take_place


def _matched(mentee: User, mentor: User, *, days_ago: int, active: bool = True):
    request = MentoringRequest(
        requester_id=mentee.id,
        status="matched",
        career_stage="specialty_training",
        specialty="general_medicine",
        organisation="Riverside Hospitals NHS Trust",
        department="Medicine",
        matched_at=utcnow() - timedelta(days=days_ago),
    )
    db.session.add(request)
    db.session.flush()
    if active:
        _take_place(mentor.id)
    relationship = MentoringRelationship(
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        request_id=request.id,
        started_at=utcnow() - timedelta(days=days_ago),
    )
    db.session.add(relationship)
    db.session.flush()
    return relationship


def _agree(rel: MentoringRelationship, model: str, planned: int = 6, fmt: str = "video") -> None:
    agreement_record(
        relationship=rel,
        actor=rel.mentor,
        terms=AgreementTerms(
            model=model,
            meeting_frequency="fortnightly",
            meeting_format=fmt,
            planned_sessions=planned,
            notes="We keep to an hour; either of us can move a session with a day's notice.",
            confidentiality_understood=True,
        ),
    )


def _log(rel, model, days_ago, stages, *, summary, reflection, topics, actions=(), signposts=()):
    today = date.today()
    return session_log_record(
        relationship=rel,
        mentor=rel.mentor,
        today=today,
        details=SessionDetails(
            held_on=today - timedelta(days=days_ago),
            minutes=50,
            format=rel.meeting_format or "video",
            model=model,
            stages=[
                StageEntry(stage=key, notes=text, numbers=numbers) for key, text, numbers in stages
            ],
            topics=list(topics),
            signposts=list(signposts),
            summary=summary,
            reflection=reflection,
            actions=[
                NewAction(text=text, due_on=today + timedelta(days=due)) for text, due in actions
            ],
        ),
    )


GROW_STAGES = [
    ("goal", "Decide whether to apply for less-than-full-time training this year.", {}),
    ("reality", "Rota is heavy; childcare changes in the spring; has not yet asked the TPD.", {}),
    ("options", "Apply now; wait a year; swap to a lighter rotation first.", {}),
    ("will", "Will book a conversation with the training programme director.", {}),
]
EGAN_STAGES = [
    ("current", "Feels stuck between two specialties; worries about letting the team down.", {}),
    ("preferred", "A career where evenings are predictable and teaching has a place.", {}),
    ("action", "Shadow two clinics; talk to one trainee in each specialty.", {}),
]
CLEAR_STAGES = [
    ("contract", "Focus: handling a difficult working relationship on the ward.", {}),
    ("listen", "Described recent handovers that went badly.", {}),
    ("explore", "What a calmer conversation with the colleague could look like.", {}),
    ("action", "Ask for a short meeting away from the ward.", {}),
    ("review", "Found it useful to rehearse the opening words.", {}),
]
OSKAR_STAGES = [
    ("outcome", "Feel confident leading the morning board round.", {}),
    ("scaling", "Some days are fine; others less so.", {"rating": 4}),
    ("know_how", "Did well last Tuesday after preparing the list the night before.", {}),
    ("affirm_action", "Prepare the list the evening before, twice next week.", {}),
]


def demo_relationships_create(people: dict[str, User]) -> None:
    sam = people["mentor@demo.test"]
    grace = people["grace.chen@demo.test"]
    owen = people["owen.davies@demo.test"]
    hannah = people["hannah.lewis@demo.test"]

    # Just matched: the demo pair agree their terms themselves.
    _matched(people["doctor@demo.test"], sam, days_ago=2)

    # Review due: six planned, six logged, on CLEAR and OSKAR.
    priya = _matched(people["priya.nair@demo.test"], owen, days_ago=100)
    _agree(priya, "clear")
    for n, days in enumerate((90, 76, 62, 48, 34, 20)):
        model, stages = ("oskar", OSKAR_STAGES) if n % 2 else ("clear", CLEAR_STAGES)
        _log(
            priya,
            model,
            days,
            stages,
            summary=f"Session {n + 1}: we looked at the options and what comes next.",
            reflection="I noticed I wanted to give advice; I asked another question instead.",
            topics=["career_development", "work_life_balance"],
            actions=[(f"Step {n + 1}: talk to the training programme director", 14)],
            signposts=["educational_supervisor"] if n == 2 else [],
        )
    for item in db.session.query(ActionItem).filter_by(relationship_id=priya.id).limit(4):
        action_update(
            action=item,
            mentee=priya.mentee,
            relationship=priya,
            status="done",
            reflection="Done: it helped to have a date in the diary.",
        )

    # In progress on GROW, one Egan session, next session tomorrow.
    tom = _matched(people["tom.evans@demo.test"], grace, days_ago=40)
    _agree(tom, "grow", planned=6, fmt="phone")
    _log(
        tom,
        "grow",
        30,
        GROW_STAGES,
        summary="We looked at the options for training less than full time.",
        reflection="Worth checking next time how the conversation with the TPD went.",
        topics=["work_life_balance", "career_development"],
        actions=[("Book a conversation with the training programme director", 7)],
        signposts=["occupational_health"],
    )
    _log(
        tom,
        "egan",
        12,
        EGAN_STAGES,
        summary="What a better working week would look like.",
        reflection="Tom found the preferred scenario freeing.",
        topics=["self_confidence"],
        actions=[("Prepare the board-round list the evening before", 10)],
    )
    first = db.session.query(ActionItem).filter_by(relationship_id=tom.id).first()
    action_update(
        action=first,
        mentee=tom.mentee,
        relationship=tom,
        status="done",
        reflection="We met; it went better than I feared.",
    )
    tom.next_session_at = utcnow() + timedelta(hours=22)
    tom.next_session_format = "phone"

    # Extended once, then ended with goals met; the mentee gave feedback.
    fatima = _matched(people["fatima.hussain@demo.test"], hannah, days_ago=200, active=False)
    _agree(fatima, "oskar", planned=3)
    for days in (180, 160, 140, 120):
        _log(
            fatima,
            "oskar",
            days,
            OSKAR_STAGES,
            summary="Return-to-work plan reviewed.",
            reflection="Steady progress.",
            topics=["return_to_work"],
            actions=[("Agree a phased timetable with the rota lead", 21)],
        )
    fatima.planned_sessions, fatima.extensions = 4, 1
    _end(fatima, by="mentor", reason="goals_met", days_ago=110)
    fatima.feedback_given = True
    db.session.add(
        MenteeFeedback(month=date.today().replace(day=1), helpfulness=5, would_recommend=True)
    )

    # Ended early by the mentee, who gave no reason: nobody's fault.
    liam = _matched(people["liam.obrien@demo.test"], grace, days_ago=80, active=False)
    _agree(liam, "egan", planned=6)
    _log(
        liam,
        "egan",
        70,
        EGAN_STAGES,
        summary="First conversation about what is going on.",
        reflection="Liam seemed unsure mentoring was right for him now.",
        topics=["morale"],
    )
    _end(liam, by="mentee", reason="not_given", days_ago=60)
    db.session.flush()


def _end(rel: MentoringRelationship, *, by: str, reason: str, days_ago: int) -> None:
    rel.status = "closed"
    rel.ended_by = by
    rel.ending_reason = reason
    rel.ended_at = utcnow() - timedelta(days=days_ago)
