"""The check-in: answer WHO-5, see what it means and where to go, and nobody else is told.

The result is rendered straight from the submitted form, never redirected to: the score is in no
URL, no session and no flash message, and nothing on this path is logged.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import Blueprint, current_app, g, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from mentoring.checkins import services, who5
from mentoring.checkins.forms import CheckInForm, Submitted, submitted_if_valid
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.core.templating import cut_at, placeholder
from mentoring.core.vocabulary import TOPICS
from mentoring.directory import queries as directory_queries
from mentoring.permissions import Permission, requires

bp = Blueprint("checkins", __name__, url_prefix="/check-in")


@bp.route("", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def check_in():
    today = directory_queries.local_now().date()
    person = current_user._get_current_object()
    sent = _sent_as_valid()
    # A check-in on its way joins its week in the same round trip as this look-up.
    standing = services.check_in_standing(user=person, day=today, join_week=sent is not None)
    if standing.checked_in:
        return _already_checked_in(status=409 if _is_post() else 200)
    form = None
    if sent is None:
        form = CheckInForm()
        if form.validate_on_submit():
            sent = Submitted.of(form)
    if sent is not None:
        if standing.weeks_due:
            # Nobody has closed last week yet (`flask checkins close-weeks`): close it first, in a
            # transaction of its own that writes nothing of this person's.
            services.check_in_weeks_close(today=today)
            unit_of_work.commit()  # and the week's lock, if the look-up took it, is let go
        try:
            # The result depends on the answers alone: rendered first, before anything is written
            # (no write lock held while it renders), and sent only once the check-in is committed.
            # The commit expires the person, so nothing after it reads them again.
            score = services.check_in_score(sent.answers)
            page = _result(score, sent.topics, today, person, standing.directory_version)
            services.check_in_submit(
                user=person,
                day=today,
                answers=sent.answers,
                topics=sent.topics,
                career_stage_group=sent.career_stage_group,
                specialty_group=sent.specialty_group,
                organisation=sent.organisation,
                week_joined=standing.week_joined and not standing.weeks_due,
            )
            unit_of_work.commit()
        except services.AlreadyCheckedIn:
            unit_of_work.rollback()
            return _already_checked_in(status=409)
        except ServiceError as error:
            unit_of_work.rollback()
            if form is None:  # read straight from the form data: the form shows the refusal
                form = CheckInForm()
                form.validate_on_submit()
            add_service_error(form, error)
        else:
            return page
    return render_template("checkins/check_in.html", form=form, who5=who5), (
        400 if form.errors else 200
    )


def _is_post() -> bool:
    return request.method == "POST"


def _sent_as_valid() -> Submitted | None:
    """The check-in posted, if `CheckInForm` would take it, read without making the form; None
    otherwise (not a post, or anything the form would refuse), and the form reads it as ever.

    Only when the form would check nothing more than its fields: its CSRF token already checked
    for the whole site (`CSRFProtect`, before any view; the form then skips its own check, and
    with CSRF off it has none), and the data as form fields (the form would read files, or JSON,
    otherwise).
    """
    if not _is_post() or request.files or not request.form:
        return None
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not g.get("csrf_valid", False):
        return None
    return submitted_if_valid(request.form, tuple(current_app.config["ORGANISATIONS"]))


def _already_checked_in(*, status: int):
    return render_template("checkins/already.html", message=services.ALREADY_CHECKED_IN), status


_TOPIC_LABELS = dict(TOPICS)


def _result(score: int, topics: list[str], today, person, directory_version):
    severities = who5.severities_to_show(score, topics)
    year, week = services.iso_week_of(today)
    week_label = f"{year}-W{week:02d}"
    parts = _result_parts()
    return render_template(
        "checkins/result.html",
        score=score,
        band_text=parts.band_texts[who5.band(score)],
        severities=severities,
        groups=directory_queries.services_for_check_in_by_severity(
            severities=severities, topics=topics, version_read=directory_version
        ),
        # Asked once for every group of services (their links to change a service).
        can_manage=person.can(Permission.MANAGE_DIRECTORY),
        topic_labels=[_TOPIC_LABELS.get(topic, topic) for topic in topics],
        week_label=week_label,
        own_trend=parts.own_trend(score, week_label),
        own_trend_script=parts.own_trend_script,
        directory_url=parts.directory_url,
    )


class ResultParts(NamedTuple):
    """What the result page shows the same for every check-in, rendered once (`_result_parts`)."""

    band_texts: dict[who5.Band, Markup]  # checkins/_result_band.html for each band
    own_trend_parts: tuple[str, str, str]  # checkins/_own_trend.html around score and week
    own_trend_script: str
    directory_url: str

    def own_trend(self, score: int, week_label: str) -> Markup:
        """checkins/_own_trend.html for this score and week, as `{% include %}` rendered it."""
        before, between, after = self.own_trend_parts
        # The kept parts are the template's output, already escaped; the values escaped as
        # `{{ score }}` and `{{ week_label }}` escaped them.
        text = f"{before}{escape(score)}{between}{escape(week_label)}{after}"
        return Markup(text)  # nosec B704  # noqa: S704


_KEPT_PARTS = "checkin_result_parts"
_RESULT_PART_TEMPLATES = ("checkins/_result_band.html", "checkins/_own_trend.html")


def _result_parts() -> ResultParts:
    """The result page's parts that are the same for every check-in, kept for each application and
    root path (and the templates, which reload in development).

    Every band's words are rendered at once, so what is kept, and how long a page takes, says
    nothing about which bands have been seen. The own-trend section is rendered with placeholders
    where the score and week go, and each check-in's put in their places: nothing of any check-in
    is kept.
    """
    environment = current_app.jinja_env
    key = request.script_root
    if environment.auto_reload:  # templates that reload are part of the key
        key = (key, *map(environment.get_template, _RESULT_PART_TEMPLATES))
    kept = current_app.extensions.setdefault(_KEPT_PARTS, {})
    parts = kept.get(key)
    if parts is None:
        band_template, trend_template = map(environment.get_template, _RESULT_PART_TEMPLATES)
        score, week = placeholder("score"), placeholder("week")
        trend = trend_template.render(score=score, week_label=week)
        parts = ResultParts(
            band_texts={
                band: Markup(band_template.render(band=band, Band=who5.Band))  # nosec B704  # noqa: S704
                for band in who5.Band
            },
            own_trend_parts=cut_at(trend, (score, week), "the own-trend section"),
            own_trend_script=url_for("static", filename="js/own-trend.js"),
            directory_url=url_for("directory.services_list"),
        )
        if len(kept) >= 8:  # templates reloaded, or many root paths: start afresh
            kept.clear()
        kept[key] = parts
    return parts
