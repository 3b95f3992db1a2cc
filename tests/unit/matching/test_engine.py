"""The matching engine on plain data: hard constraints, the score's order, pool assignment."""

from __future__ import annotations

import dataclasses
import random

import pytest

from mentoring.matching.engine import (
    DIFFERENT,
    SAME,
    MenteeRequest,
    MentorCandidate,
    assign_pool,
    score_matrix,
    shortlist,
)

EVENINGS = frozenset(day * 24 + hour for day in range(5) for hour in (19, 20))
SATURDAY_MORNING = frozenset(5 * 24 + hour for hour in (9, 10, 11))


def mentor(mentor_id: int = 100, **changes) -> MentorCandidate:
    base = MentorCandidate(
        mentor_id=mentor_id,
        available=True,
        organisation="north-trust",
        department="surgery",
        specialty="surgery",
        seniority=6,
        gender="woman",
        models=frozenset({"grow"}),
        formats=frozenset({"video"}),
        topics=frozenset({"career_development", "stress"}),
        hours=EVENINGS,
        capacity=2,
        active_mentees=0,
    )
    return dataclasses.replace(base, **changes)


def request(request_id: int = 1, **changes) -> MenteeRequest:
    base = MenteeRequest(
        request_id=request_id,
        requester_id=999,
        organisation="south-trust",
        department="medicine",
        specialty="general_medicine",
        seniority=2,
        topics=frozenset({"career_development"}),
        formats=frozenset({"video", "phone"}),
        hours=EVENINGS,
    )
    return dataclasses.replace(base, **changes)


def suggested(req: MenteeRequest, *mentors: MentorCandidate) -> list[int]:
    return [s.mentor_id for s in shortlist(req, list(mentors))]


# --- hard constraints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("req_changes", "mentor_changes"),
    [
        ({}, {"available": False}),
        ({}, {"active_mentees": 2}),  # no capacity left
        ({"requester_id": 100}, {}),  # the requester themself
        ({"excluded_mentor_ids": frozenset({100})}, {}),  # conflict of interest
        ({"outside_organisation": True, "organisation": "north-trust"}, {}),
        ({"outside_department": True, "organisation": "north-trust", "department": "surgery"}, {}),
        ({"formats": frozenset({"in_person"})}, {}),  # no common format
        ({"hours": SATURDAY_MORNING}, {}),  # no overlapping hour
        ({"gender_preference": "man"}, {}),
        ({"more_senior_only": True, "seniority": 6}, {}),
    ],
)
def test_each_hard_constraint_excludes_the_mentor(req_changes, mentor_changes):
    assert suggested(request(**req_changes), mentor(**mentor_changes)) == []
    # The same pair without the change is suggested: the constraint is what excluded it.
    assert suggested(request(), mentor()) == [100]


def test_outside_department_allows_another_department_of_the_same_organisation():
    req = request(outside_department=True, organisation="north-trust", department="medicine")
    assert suggested(req, mentor()) == [100]


def test_gender_preference_is_met_when_it_matches():
    assert suggested(request(gender_preference="woman"), mentor()) == [100]


# --- soft score -----------------------------------------------------------------------------------


def test_more_topics_in_common_ranks_higher():
    req = request(topics=frozenset({"career_development", "stress", "workload"}))
    one = mentor(1, topics=frozenset({"stress"}))
    three = mentor(2, topics=frozenset({"career_development", "stress", "workload"}))
    assert suggested(req, one, three) == [2, 1]


def test_preferred_model_specialty_and_seniority_each_raise_the_score():
    plain = mentor(1, models=frozenset({"clear"}), specialty="surgery", seniority=1)
    for changes, req in [
        ({"models": frozenset({"grow"})}, request(preferred_model="grow")),
        ({"specialty": "general_medicine"}, request(specialty_preference=SAME)),
        ({"seniority": 7}, request()),
    ]:
        better = dataclasses.replace(plain, mentor_id=2, **changes)
        assert suggested(req, plain, better) == [2, 1], changes
    # Asking for a different specialty prefers the mentor from elsewhere.
    same = mentor(1, specialty="general_medicine")
    other = mentor(2, specialty="surgery")
    assert suggested(request(specialty_preference=DIFFERENT), same, other) == [2, 1]


def test_load_is_spread_to_mentors_with_fewer_mentees():
    busy = mentor(1, capacity=2, active_mentees=1)
    free = mentor(2, capacity=2, active_mentees=0)
    assert suggested(request(), busy, free) == [2, 1]


def test_shortlist_has_at_most_three_and_each_has_reasons():
    mentors = [mentor(i) for i in range(1, 7)]
    suggestions = shortlist(
        request(preferred_model="grow"), mentors, labels={"grow": "GROW", "video": "Video"}
    )
    assert len(suggestions) == 3
    for suggestion in suggestions:
        assert suggestion.reasons
        assert "Comfortable with 1 of your 1 topics" in suggestion.reasons
        assert "Offers the GROW model you asked for" in suggestion.reasons
        assert "Can meet by video" in suggestion.reasons


def test_scores_stay_between_0_and_100():
    req = request(
        preferred_model="grow", specialty_preference=SAME, specialty="surgery", seniority=0
    )
    _, score = score_matrix([req], [mentor()])
    assert 0 <= float(score[0, 0]) <= 100
    assert float(score[0, 0]) == pytest.approx(100.0)


# --- whole-pool assignment ------------------------------------------------------------------------


def test_pool_never_exceeds_capacity_and_never_breaks_a_hard_constraint():
    rng = random.Random(7)
    formats = ["video", "phone", "in_person"]
    topics = [f"topic{i}" for i in range(10)]
    mentors = [
        mentor(
            100 + j,
            organisation=f"trust{j % 4}",
            formats=frozenset(rng.sample(formats, rng.randint(1, 3))),
            topics=frozenset(rng.sample(topics, 3)),
            hours=frozenset(rng.sample(range(168), 12)),
            capacity=rng.randint(1, 3),
            active_mentees=0,
        )
        for j in range(30)
    ]
    requests = [
        request(
            i,
            requester_id=1000 + i,
            organisation=f"trust{i % 4}",
            outside_organisation=rng.random() < 0.5,
            formats=frozenset(rng.sample(formats, rng.randint(1, 2))),
            topics=frozenset(rng.sample(topics, 2)),
            hours=frozenset(rng.sample(range(168), 20)),
        )
        for i in range(80)
    ]
    proposals = assign_pool(requests, mentors)
    assert proposals, "some requests can be placed"
    feasible, _ = score_matrix(requests, mentors)
    index = {m.mentor_id: j for j, m in enumerate(mentors)}
    per_mentor: dict[int, int] = {}
    for i, req in enumerate(requests):
        if req.request_id in proposals:
            mentor_id = proposals[req.request_id]
            assert feasible[i, index[mentor_id]]
            per_mentor[mentor_id] = per_mentor.get(mentor_id, 0) + 1
    for m in mentors:
        assert per_mentor.get(m.mentor_id, 0) <= m.capacity


def test_pool_places_everyone_when_a_perfect_assignment_exists():
    # Greedy "best score first" would give mentor 1 to request 1 and leave request 2 unplaced.
    m1 = mentor(1, capacity=1, topics=frozenset({"a", "b"}), formats=frozenset({"video", "phone"}))
    m2 = mentor(2, capacity=1, topics=frozenset({"a"}), formats=frozenset({"video"}))
    r1 = request(1, topics=frozenset({"a", "b"}), formats=frozenset({"video", "phone"}))
    r2 = request(2, requester_id=2, topics=frozenset({"a", "b"}), formats=frozenset({"phone"}))
    assert assign_pool([r1, r2], [m1, m2]) == {1: 2, 2: 1}


def test_pool_with_nobody_to_place_or_no_room_proposes_nothing():
    assert assign_pool([], [mentor()]) == {}
    assert assign_pool([request()], [mentor(active_mentees=2)]) == {}
