"""How much of everything a scale means, and the pools of words synthetic rows are drawn from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

# Scale 1: a national scheme for UK doctors (README, "Performance").
NATIONAL = {
    "doctors": 60_000,
    "mentors": 6_000,
    "relationships": 20_000,
    "session_logs": 150_000,
    "check_ins": 1_000_000,
    "waiting_requests": 1_500,
}
DIRECTORY_ENTRIES = 200
COORDINATORS = 3
HISTORY_DAYS = 730  # two years of scheme history
SYNTHETIC_DOMAIN = "synthetic.test"

SENTENCES = (
    "We talked about what a good week would look like and what gets in the way of it.",
    "The mentee described the rota pattern and how it affects time for study.",
    "We explored two options and what each would mean in six months.",
    "The mentee wants to speak to their educational supervisor before deciding.",
    "We looked at what has worked before when things felt like this.",
    "The mentee named one conversation they would like to have this month.",
    "We agreed to come back to the career question at the next session.",
    "A calmer week; the mentee felt more in control of the workload.",
    "We used the model's questions to map the options and their costs.",
    "The mentee will write down three things that went well each week.",
)
ACTIONS = (
    "Book a meeting with the rota coordinator",
    "Read the specialty's person specification",
    "Ask a colleague about their experience of the fellowship",
    "Block two protected hours for study each week",
    "Write a short reflection after the next difficult shift",
    "Look up the occupational health self-referral form",
)


@dataclass(frozen=True)
class Plan:
    scale: float
    seed: int
    today: date

    def count(self, name: str) -> int:
        return max(1, round(NATIONAL[name] * self.scale))

    @property
    def doctors(self) -> int:
        return max(self.count("doctors"), self.mentors + 2)

    @property
    def mentors(self) -> int:
        return max(2, self.count("mentors"))

    @property
    def now(self) -> datetime:
        return datetime.combine(self.today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)

    def rng(self, part: str) -> np.random.Generator:
        """An independent stream per part, so changing one part leaves the others as they were."""
        return np.random.default_rng([self.seed, sum(part.encode())])


def days_before(now: datetime, days) -> list[datetime]:
    """`now` minus each of `days` (a numpy array of floats), as aware datetimes."""
    return [now - timedelta(days=float(d)) for d in days]
