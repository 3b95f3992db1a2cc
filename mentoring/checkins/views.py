"""The check-in: answer WHO-5, see what it means and where to go, and nobody else is told.

The result is rendered straight from the submitted form, never redirected to: the score is in no
URL, no session and no flash message, and nothing on this path is logged.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from mentoring.checkins import services, who5
from mentoring.checkins.forms import CheckInForm
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.core.vocabulary import TOPICS, label
from mentoring.directory import queries as directory_queries
from mentoring.permissions import Permission, requires

bp = Blueprint("checkins", __name__, url_prefix="/check-in")


@bp.route("", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def check_in():
    today = directory_queries.local_now().date()
    person = current_user._get_current_object()
    checked_in, weeks_due = services.check_in_standing(user=person, day=today)
    if checked_in:
        return _already_checked_in(status=409 if _is_post() else 200)
    form = CheckInForm()
    if form.validate_on_submit():
        if weeks_due:
            # Nobody has closed last week yet (`flask checkins close-weeks`): close it first, in a
            # transaction of its own that writes nothing of this person's.
            services.check_in_weeks_close(today=today)
            unit_of_work.commit()
        topics = form.topics.data or []
        try:
            # The result depends on the answers alone: rendered first, before anything is written
            # (no write lock held while it renders), and sent only once the check-in is committed.
            # The commit expires the person, so nothing after it reads them again.
            page = _result(services.check_in_score(form.answers), topics, today)
            services.check_in_submit(
                user=person,
                day=today,
                answers=form.answers,
                topics=topics,
                career_stage_group=form.career_stage_group.data,
                specialty_group=form.specialty_group.data,
                organisation=form.organisation.data,
            )
            unit_of_work.commit()
        except services.AlreadyCheckedIn:
            unit_of_work.rollback()
            return _already_checked_in(status=409)
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            return page
    return render_template("checkins/check_in.html", form=form, who5=who5), (
        400 if form.errors else 200
    )


def _is_post() -> bool:
    return request.method == "POST"


def _already_checked_in(*, status: int):
    return render_template("checkins/already.html", message=services.ALREADY_CHECKED_IN), status


def _result(score: int, topics: list[str], today):
    severities = who5.severities_to_show(score, topics)
    listings = directory_queries.services_for_check_in(severities=severities, topics=topics)
    year, week = services.iso_week_of(today)
    return render_template(
        "checkins/result.html",
        score=score,
        band=who5.band(score),
        Band=who5.Band,
        severities=severities,
        groups=[(s, [item for item in listings if item.severity is s]) for s in severities],
        topic_labels=[label(TOPICS, topic) for topic in topics],
        week_label=f"{year}-W{week:02d}",
    )
