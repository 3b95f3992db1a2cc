"""Benchmark: whole-pool matching of 1,000 waiting requests against 500 mentors.

Prints one JSON line: {"name": "matching_1000x500", "seconds": ..., ...}. Target: under 2 seconds.
Run with `make bench` or `.venv/bin/python -m benchmarks.matching`.
"""

from __future__ import annotations

import json
import random
import time

from mentoring.matching.engine import MenteeRequest, MentorCandidate, assign_pool

TOPICS = [f"topic{i}" for i in range(24)]
FORMATS = ["in_person", "video", "phone"]
MODELS = ["egan", "grow", "clear", "oskar"]
ORGANISATIONS = [f"trust{i}" for i in range(40)]
SPECIALTIES = [f"specialty{i}" for i in range(12)]


def _hours(rng: random.Random, blocks: int) -> frozenset[int]:
    hours: set[int] = set()
    for _ in range(blocks):
        start = rng.randrange(168)
        hours.update((start + k) % 168 for k in range(rng.randint(1, 4)))
    return frozenset(hours)


def make_pool(n_requests: int, n_mentors: int, seed: int = 1):
    rng = random.Random(seed)
    mentors = [
        MentorCandidate(
            mentor_id=j,
            available=True,
            organisation=rng.choice(ORGANISATIONS),
            department=f"dept{rng.randrange(8)}",
            specialty=rng.choice(SPECIALTIES),
            seniority=rng.randint(3, 8),
            gender=rng.choice(["woman", "man", None]),
            models=frozenset(rng.sample(MODELS, rng.randint(1, 3))),
            formats=frozenset(rng.sample(FORMATS, rng.randint(1, 3))),
            topics=frozenset(rng.sample(TOPICS, rng.randint(4, 12))),
            hours=_hours(rng, 6),
            capacity=rng.randint(1, 3),
            active_mentees=0,
        )
        for j in range(n_mentors)
    ]
    requests = [
        MenteeRequest(
            request_id=i,
            requester_id=100_000 + i,
            organisation=rng.choice(ORGANISATIONS),
            department=f"dept{rng.randrange(8)}",
            specialty=rng.choice(SPECIALTIES),
            seniority=rng.randint(0, 6),
            topics=frozenset(rng.sample(TOPICS, rng.randint(1, 4))),
            formats=frozenset(rng.sample(FORMATS, rng.randint(1, 3))),
            hours=_hours(rng, 8),
            preferred_model=rng.choice([None, *MODELS]),
            outside_department=rng.random() < 0.3,
            outside_organisation=rng.random() < 0.3,
            specialty_preference=rng.choice(["any", "same", "different"]),
            more_senior_only=rng.random() < 0.3,
            gender_preference=rng.choice([None, None, None, "woman", "man"]),
            excluded_mentor_ids=frozenset(rng.sample(range(n_mentors), 2)),
        )
        for i in range(n_requests)
    ]
    return requests, mentors


def main() -> None:
    requests, mentors = make_pool(1000, 500)
    assign_pool(requests[:10], mentors[:10])  # warm up imports
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        proposals = assign_pool(requests, mentors)
        runs.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "name": "matching_1000x500",
                "seconds": round(min(runs), 3),
                "runs": [round(r, 3) for r in runs],
                "placed": len(proposals),
                "requests": len(requests),
                "mentors": len(mentors),
                "target_seconds": 2.0,
            }
        )
    )


if __name__ == "__main__":
    main()
