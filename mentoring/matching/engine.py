"""The matching engine: pure functions over plain data, no database and no Flask.

A request and each mentor are described by `MenteeRequest` and `MentorCandidate`. The engine scores
every (request, mentor) pair at once with NumPy, so the same code serves one doctor's shortlist and
the whole-pool assignment of a thousand waiting requests.

Hard constraints (a pair failing any is never suggested):
  the mentor is available (verified training, complete profile, not paused, capacity left);
  the mentor is not the requester; no conflict of interest declared either way; outside the
  requester's department / organisation when asked; at least one common format; at least one
  overlapping hour of availability; the mentor's gender when a preference is given; more senior
  than the requester when "more senior only" is asked.

Soft score (0 to 100, higher is better), with these weights:
  TOPICS 40     share of the requester's topics the mentor is comfortable with
  MODEL 15      the mentor offers the model the requester prefers (no preference: 0 for everyone)
  SPECIALTY 15  the mentor's specialty is the same / different as asked (no preference: 0)
  SENIORITY 10  the mentor is more senior than the requester
  OVERLAP 10    hours of shared availability, counted up to 10 hours a week
  LOAD 10       the mentor's free share of capacity, so work spreads across mentors
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

HOURS_PER_WEEK = 7 * 24

WEIGHT_TOPICS = 40.0
WEIGHT_MODEL = 15.0
WEIGHT_SPECIALTY = 15.0
WEIGHT_SENIORITY = 10.0
WEIGHT_OVERLAP = 10.0
WEIGHT_LOAD = 10.0
OVERLAP_HOURS_FOR_FULL_SCORE = 10

SAME = "same"
DIFFERENT = "different"
ANY = "any"

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class MentorCandidate:
    mentor_id: int
    available: bool
    organisation: str
    department: str
    specialty: str
    seniority: int  # rank of career stage: higher is more senior
    gender: str | None
    models: frozenset[str]
    formats: frozenset[str]
    topics: frozenset[str]
    hours: frozenset[int]  # hours of the week (0 = Monday 00:00-01:00) the mentor is free
    capacity: int
    active_mentees: int


@dataclass(frozen=True)
class MenteeRequest:
    request_id: int | str
    requester_id: int
    organisation: str
    department: str
    specialty: str
    seniority: int
    topics: frozenset[str]
    formats: frozenset[str]
    hours: frozenset[int]
    preferred_model: str | None = None
    outside_department: bool = False
    outside_organisation: bool = False
    specialty_preference: str = ANY
    more_senior_only: bool = False
    gender_preference: str | None = None
    excluded_mentor_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Suggestion:
    mentor_id: int
    score: float
    reasons: tuple[str, ...]


@dataclass
class _Encoded:
    """Requests or mentors as arrays: one row each."""

    ids: np.ndarray
    organisation: np.ndarray
    department: np.ndarray
    specialty: np.ndarray
    seniority: np.ndarray
    topics: np.ndarray  # (n, topics) 0/1
    formats: np.ndarray  # (n, formats) 0/1
    hours: np.ndarray  # (n, 168) 0/1


class _Vocabulary:
    """Turns strings into column numbers so sets become 0/1 matrices."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def code(self, value: str | None) -> int:
        if value is None:
            return -1
        return self.index.setdefault(value, len(self.index))

    def matrix(self, rows: Sequence[frozenset[str]]) -> np.ndarray:
        for row in rows:
            for value in row:
                self.code(value)
        out = np.zeros((len(rows), max(len(self.index), 1)), dtype=np.float32)
        for i, row in enumerate(rows):
            for value in row:
                out[i, self.index[value]] = 1.0
        return out


def _hours_matrix(rows: Sequence[frozenset[int]]) -> np.ndarray:
    out = np.zeros((len(rows), HOURS_PER_WEEK), dtype=np.float32)
    for i, hours in enumerate(rows):
        if hours:
            out[i, list(hours)] = 1.0
    return out


def score_matrix(
    requests: Sequence[MenteeRequest], mentors: Sequence[MentorCandidate]
) -> tuple[np.ndarray, np.ndarray]:
    """For every pair: whether it passes the hard constraints, and its soft score (0-100)."""
    if not requests or not mentors:
        shape = (len(requests), len(mentors))
        return np.zeros(shape, dtype=bool), np.zeros(shape, dtype=np.float32)

    places = _Vocabulary()
    topics = _Vocabulary()
    formats = _Vocabulary()
    models = _Vocabulary()
    genders = _Vocabulary()

    req_topics = topics.matrix([r.topics for r in requests])
    men_topics = topics.matrix([m.topics for m in mentors])
    req_topics = _pad(req_topics, men_topics.shape[1])
    req_formats = formats.matrix([r.formats for r in requests])
    men_formats = formats.matrix([m.formats for m in mentors])
    req_formats = _pad(req_formats, men_formats.shape[1])
    men_models = models.matrix([m.models for m in mentors])

    req_org = np.array([places.code("org:" + r.organisation) for r in requests])[:, None]
    men_org = np.array([places.code("org:" + m.organisation) for m in mentors])[None, :]
    req_dept = np.array([places.code(f"dept:{r.organisation}/{r.department}") for r in requests])[
        :, None
    ]
    men_dept = np.array([places.code(f"dept:{m.organisation}/{m.department}") for m in mentors])[
        None, :
    ]
    req_spec = np.array([places.code("spec:" + r.specialty) for r in requests])[:, None]
    men_spec = np.array([places.code("spec:" + m.specialty) for m in mentors])[None, :]
    req_senior = np.array([r.seniority for r in requests])[:, None]
    men_senior = np.array([m.seniority for m in mentors])[None, :]

    overlap_hours = (
        _hours_matrix([r.hours for r in requests]) @ _hours_matrix([m.hours for m in mentors]).T
    )
    shared_formats = req_formats @ men_formats.T
    shared_topics = req_topics @ men_topics.T

    feasible = np.array([m.available and m.active_mentees < m.capacity for m in mentors])[None, :]
    feasible = feasible & (overlap_hours > 0) & (shared_formats > 0)
    req_ids = np.array([r.requester_id for r in requests])[:, None]
    men_ids = np.array([m.mentor_id for m in mentors])
    feasible &= req_ids != men_ids[None, :]
    wants_out_org = np.array([r.outside_organisation for r in requests])[:, None]
    wants_out_dept = np.array([r.outside_department for r in requests])[:, None]
    feasible &= ~(wants_out_org & (req_org == men_org))
    feasible &= ~(wants_out_dept & (req_dept == men_dept))
    senior_only = np.array([r.more_senior_only for r in requests])[:, None]
    feasible &= ~(senior_only & (men_senior <= req_senior))
    gender_wanted = np.array([genders.code(r.gender_preference) for r in requests])[:, None]
    mentor_gender = np.array([genders.code(m.gender) for m in mentors])[None, :]
    feasible &= (gender_wanted == -1) | (gender_wanted == mentor_gender)
    position = {mentor_id: j for j, mentor_id in enumerate(men_ids.tolist())}
    for i, request in enumerate(requests):
        for mentor_id in request.excluded_mentor_ids:
            j = position.get(mentor_id)
            if j is not None:
                feasible[i, j] = False

    topic_count = np.array([max(len(r.topics), 1) for r in requests], dtype=np.float32)[:, None]
    score = WEIGHT_TOPICS * shared_topics / topic_count
    preferred = [models.index.get(r.preferred_model, -1) for r in requests]
    offers_model = np.zeros(feasible.shape, dtype=np.float32)
    for i, column in enumerate(preferred):
        if column >= 0:
            offers_model[i] = men_models[:, column]
    score += WEIGHT_MODEL * offers_model
    wants_same = np.array([r.specialty_preference == SAME for r in requests])[:, None]
    wants_diff = np.array([r.specialty_preference == DIFFERENT for r in requests])[:, None]
    same_specialty = req_spec == men_spec
    score += WEIGHT_SPECIALTY * ((wants_same & same_specialty) | (wants_diff & ~same_specialty))
    score += WEIGHT_SENIORITY * (men_senior > req_senior)
    score += (
        WEIGHT_OVERLAP
        * np.minimum(overlap_hours, OVERLAP_HOURS_FOR_FULL_SCORE)
        / float(OVERLAP_HOURS_FOR_FULL_SCORE)
    )
    free_share = np.array(
        [
            max(m.capacity - m.active_mentees, 0) / m.capacity if m.capacity else 0.0
            for m in mentors
        ],
        dtype=np.float32,
    )[None, :]
    score = score + WEIGHT_LOAD * free_share
    return feasible, score.astype(np.float32)


def _pad(matrix: np.ndarray, width: int) -> np.ndarray:
    if matrix.shape[1] >= width:
        return matrix
    return np.pad(matrix, ((0, 0), (0, width - matrix.shape[1])))


def shortlist(
    request: MenteeRequest,
    mentors: Sequence[MentorCandidate],
    *,
    limit: int = 3,
    labels: Mapping[str, str] | None = None,
) -> list[Suggestion]:
    """Up to `limit` mentors who pass every hard constraint, best first, each with reasons."""
    feasible, score = score_matrix([request], mentors)
    ranked = sorted(
        (j for j in range(len(mentors)) if feasible[0, j]),
        key=lambda j: (-float(score[0, j]), mentors[j].active_mentees, mentors[j].mentor_id),
    )
    return [
        Suggestion(
            mentor_id=mentors[j].mentor_id,
            score=round(float(score[0, j]), 1),
            reasons=explain(request, mentors[j], labels=labels),
        )
        for j in ranked[:limit]
    ]


def assign_pool(
    requests: Sequence[MenteeRequest], mentors: Sequence[MentorCandidate]
) -> dict[int, int]:
    """Propose at most one mentor per request, maximising the total score.

    Each mentor contributes one column per free place, so no mentor is offered more requests than
    they have room for; infeasible pairs are never proposed. Returns {request_id: mentor_id}.
    """
    feasible, score = score_matrix(requests, mentors)
    slot_mentor = np.array(
        [j for j, m in enumerate(mentors) for _ in range(max(m.capacity - m.active_mentees, 0))],
        dtype=np.int64,
    )
    if not len(requests) or not len(slot_mentor):
        return {}
    infeasible_cost = 1e6
    # Feasible pairs cost 100 - score (always between 0 and 100); infeasible ones far more.
    cost = np.where(feasible, 100.0 - score, infeasible_cost)[:, slot_mentor]
    rows, columns = linear_sum_assignment(cost)
    proposals = {}
    for i, column in zip(rows.tolist(), columns.tolist(), strict=True):
        j = int(slot_mentor[column])
        if feasible[i, j]:
            proposals[requests[i].request_id] = mentors[j].mentor_id
    return proposals


def explain(
    request: MenteeRequest, mentor: MentorCandidate, *, labels: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """Short reasons a person can read, for one suggested mentor.

    `labels` turns stored values (model and format codes) into the words people know.
    """
    labels = labels or {}
    return _fit_reasons(request, mentor, labels) + _practical_reasons(request, mentor, labels)


def _fit_reasons(
    request: MenteeRequest, mentor: MentorCandidate, labels: Mapping[str, str]
) -> tuple[str, ...]:
    reasons = []
    shared_topics = sorted(request.topics & mentor.topics)
    if shared_topics:
        reasons.append(
            f"Comfortable with {len(shared_topics)} of your {len(request.topics)} topics"
        )
    if request.preferred_model and request.preferred_model in mentor.models:
        model = labels.get(request.preferred_model, request.preferred_model)
        reasons.append(f"Offers the {model} model you asked for")
    if request.specialty_preference == SAME and request.specialty == mentor.specialty:
        reasons.append("Works in your specialty, as you asked")
    elif request.specialty_preference == DIFFERENT and request.specialty != mentor.specialty:
        reasons.append("Works in a different specialty, as you asked")
    if mentor.seniority > request.seniority:
        reasons.append("Further on in their career than you")
    return tuple(reasons)


def _practical_reasons(
    request: MenteeRequest, mentor: MentorCandidate, labels: Mapping[str, str]
) -> tuple[str, ...]:
    reasons = []
    if request.outside_organisation:
        reasons.append("Works outside your organisation")
    elif request.outside_department:
        reasons.append("Works outside your department")
    shared_formats = sorted(request.formats & mentor.formats)
    if shared_formats:
        reasons.append(
            "Can meet by " + " or ".join(labels.get(f, f).lower() for f in shared_formats)
        )
    shared_hours = request.hours & mentor.hours
    if shared_hours:
        reasons.append(f"Free when you are: {_describe_hours(shared_hours)}")
    if mentor.active_mentees == 0:
        reasons.append("Has room for new mentees")
    return tuple(reasons)


def _describe_hours(hours: frozenset[int]) -> str:
    days = sorted({hour // 24 for hour in hours})
    total = len(hours)
    named = ", ".join(DAY_NAMES[day] for day in days[:4]) + ("..." if len(days) > 4 else "")
    return f"{total} hour{'s' if total != 1 else ''} a week ({named})"
