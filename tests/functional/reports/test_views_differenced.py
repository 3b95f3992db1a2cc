"""An onlooker differencing the dashboard's views, downloaded as CSV, does not pin a count of 1.

Each view is rounded and hidden by the same rules, so views side by side could once give a small
number away to someone who knows that a "*" (or a view showing only a message) is at least 1:

- across groups: everyone's 17 requests naming workload show 15 (at most 17), two organisations'
  8 each show 10 (at least 8 each), and the third organisation's view shows only a message (at
  least 1): it had at most 17 - 8 - 8 = 1, so exactly 1;
- across time: one organisation's quarter shows 15 (at most 17), its first two months 10 each (at
  least 8 each), its third month a message: exactly 1 again.

The dashboard now protects each figure over all views of a quarter at once (`family`), so these
differences leave the count at more than one value. The onlooker here reads only the CSVs a
coordinator can download, as the public rules describe them.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from mentoring.reports.disclosure import DisclosureRules, protect_count
from tests.functional.reports.helpers import ACUTE, PCN, _check_in, _request, at

COMMUNITY = "Example Community and Mental Health NHS Trust"
INF = 10**6
RULES = DisclosureRules()


def requests(organisation: str, day: date, count: int) -> None:
    for _ in range(count):
        _request(created=at(day), organisation=organisation, topics=("workload",))


def read(client, key: str, period: str, group: str) -> dict[str, str]:
    response = client.get(f"/reports/{key}.csv?period={period}&group={group}")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.text)))
    if table[0] == ["Message"]:
        return {"Message": table[1][0]}
    return {row[0]: row[1] for row in table[1:]}


def workload(client, period: str, organisation: str | None) -> tuple[int, int]:
    """What the onlooker learns of the requests naming workload in one view."""
    group = "all" if organisation is None else f"organisation:{organisation}"
    figures = read(client, "bring-request-topics", period, group)
    if "Message" in figures or "Workload" not in figures:
        return (1, RULES.threshold)  # a view shown only as a message: 1 to 7 requests
    return interval(figures["Workload"])


def interval(text: str) -> tuple[int, int]:
    """The public rules: 0 is 0, "*" is at least 1, any other figure rounds to within 2."""
    if text == "*":
        return (1, INF)
    value = int(text.replace(",", ""))
    return (0, 0) if value == 0 else (max(value - 2, RULES.threshold + 1), value + 2)


@pytest.fixture
def three_organisations(db):
    requests(ACUTE, date(2026, 9, 10), 8)
    requests(PCN, date(2026, 9, 11), 8)
    requests(COMMUNITY, date(2026, 9, 12), 1)
    db.session.commit()


@pytest.fixture
def three_months(db):
    requests(ACUTE, date(2026, 7, 10), 8)
    requests(ACUTE, date(2026, 8, 10), 8)
    requests(ACUTE, date(2026, 9, 10), 1)
    requests(PCN, date(2026, 7, 15), 20)
    db.session.commit()


def test_the_attack_had_teeth_with_views_protected_one_by_one():
    everyone, each = protect_count(17, RULES).value, protect_count(8, RULES).value
    assert (everyone + 2) - 2 * max(each - 2, 8) == 1


@pytest.mark.parametrize("period", ["2026-09", "2026-Q3"])
def test_everyone_less_the_other_organisations_does_not_pin_the_third(
    three_organisations, coordinator, period
):
    everyone = workload(coordinator, period, None)
    others = [workload(coordinator, period, org) for org in (ACUTE, PCN)]
    community = workload(coordinator, period, COMMUNITY)
    at_most = min(community[1], everyone[1] - sum(low for low, _ in others))
    at_least = max(community[0], everyone[0] - sum(high for _, high in others))
    assert at_least <= 1 <= at_most  # honest
    assert at_least < at_most  # and not pinned


@pytest.mark.parametrize("organisation", [ACUTE, None])
def test_a_quarter_less_two_months_does_not_pin_the_third(three_months, coordinator, organisation):
    quarter = workload(coordinator, "2026-Q3", organisation)
    july, august, september = (
        workload(coordinator, month, organisation) for month in ("2026-07", "2026-08", "2026-09")
    )
    at_most = min(september[1], quarter[1] - july[0] - august[0])
    at_least = max(september[0], quarter[0] - july[1] - august[1])
    assert at_least <= 1 <= at_most
    assert at_least < at_most


def test_the_same_figure_is_published_alike_whichever_view_shows_it(
    three_organisations, coordinator
):
    # Requests made are uptake's total and the topics table's population: one cell, one value.
    for group in ("all", f"organisation:{ACUTE}", f"organisation:{PCN}"):
        uptake = read(coordinator, "uptake-requests", "2026-09", group)
        topics = read(coordinator, "bring-request-topics", "2026-09", group)
        assert uptake["Requests made"] == topics["All requests"]


# --- well-being check-ins -------------------------------------------------------------------------


@pytest.fixture
def check_ins(db):
    # Week 37 of 2026 (from 7 September): 8, 8 and 1 check-ins from three organisations.
    for organisation, count in ((ACUTE, 8), (PCN, 8), (COMMUNITY, 1)):
        for _ in range(count):
            _check_in(2026, 37, 12, "training", "medical", organisation, ("workload",))
    db.session.commit()


def week_37(client, period: str, group: str) -> tuple[int, int]:
    response = client.get(f"/reports/wellbeing-by-week.csv?period={period}&group={group}")
    table = list(csv.reader(io.StringIO(response.text)))
    if table[0] == ["Message"]:
        return (1, RULES.threshold)
    row = next(row for row in table if row[0].startswith("Week 37,"))
    return interval(row[1])


@pytest.mark.parametrize("period", ["2026-09", "2026-Q3"])
def test_check_ins_of_everyone_less_two_organisations_do_not_pin_the_third(
    check_ins, coordinator, period
):
    everyone = week_37(coordinator, period, "all")
    others = [week_37(coordinator, period, f"organisation:{org}") for org in (ACUTE, PCN)]
    community = week_37(coordinator, period, f"organisation:{COMMUNITY}")
    # Everyone's table by organisation shows the same organisations' figures.
    response = coordinator.get(f"/reports/wellbeing-by-organisation.csv?period={period}&group=all")
    by_org = {row[0]: row[1] for row in csv.reader(io.StringIO(response.text))}
    for org, (low, high) in zip((ACUTE, PCN), others, strict=True):
        assert interval(by_org[org]) == (low, high) or by_org[org] == "*"
    at_most = min(community[1], everyone[1] - sum(low for low, _ in others))
    at_least = max(community[0], everyone[0] - sum(high for _, high in others))
    assert at_least <= 1 <= at_most
    assert at_least < at_most
