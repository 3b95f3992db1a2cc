"""The relationship page and its lifecycle: terms, review, ending, feedback, the next session.

Every page that shows note text (the agreement's notes, action text, reflections) records the read
in the audit log, without content, so the mentee can see who read their record and when.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from mentoring.auth.models import utcnow
from mentoring.core.forms import commit_or_show_refusal
from mentoring.permissions import (
    Permission,
    found_or_404,
    load_or_404,
    may_agree_terms,
    may_end_relationship,
    may_give_feedback,
    may_read_access_history,
    may_read_relationship,
    refuse,
    requires,
)
from mentoring.relationships import queries, services
from mentoring.relationships.calendar import session_invitation
from mentoring.relationships.forms import (
    AgreementForm,
    EndForm,
    ExtendForm,
    FeedbackForm,
    ScheduleForm,
)
from mentoring.relationships.models import MentoringRelationship
from mentoring.relationships.presentation import relationship_page
from mentoring.relationships.vocabulary import CONFIDENTIALITY_TERMS, ENDING_TERMS

bp = Blueprint("relationships", __name__, url_prefix="/relationships")


def _me():
    return current_user._get_current_object()


def _load(relationship_id: str, check=may_read_relationship) -> MentoringRelationship:
    return load_or_404(MentoringRelationship, relationship_id, check)


def _saved_unless_changed(form, change, *, relationship_id: str, changed: str) -> bool:
    """`commit_or_show_refusal`, and if the relationship changed under us (another save landed
    first), nothing is saved: the person is told so on the relationship page."""
    try:
        return commit_or_show_refusal(form, change)
    except StaleDataError:
        flash(changed)
        abort(redirect(url_for("relationships.detail", relationship_id=relationship_id)))


def _local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


@bp.route("/")
@requires(Permission.USE_ACCOUNT)
def mine():
    return render_template(
        "relationships/list.html",
        relationships=queries.relationships_of(current_user.id),
        me=current_user.id,
    )


@bp.route("/<relationship_id>")
@requires(Permission.USE_ACCOUNT)
def detail(relationship_id: str):
    # One statement reads the relationship, the other person and the lists, as values: the same
    # policy decides on its columns, as `_load` would on the model, before anything is shown.
    rows = queries.relationship_page_rows(relationship_id, current_user.id)
    relationship = found_or_404(
        rows[0] if rows else None,
        may_read_relationship,
        record_type=MentoringRelationship.__tablename__,
        record_id=relationship_id,
    )
    page = relationship_page(rows, viewer_id=current_user.id)
    html = render_template("relationships/detail.html", page=page, rel=relationship)
    # The page holds note text (its actions): the read is committed before anything is sent.
    queries.note_read_committed(
        actor_id=current_user.id, relationship_id=relationship.id, what="relationship page"
    )
    return html


@bp.route("/<relationship_id>/agreement", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def agreement(relationship_id: str):
    relationship = _load(relationship_id, may_agree_terms)
    if not relationship.is_active:
        refuse(record_type="mentoring_relationship", record_id=relationship_id)
    form = AgreementForm(data=_agreement_data(relationship) if relationship.is_agreed else None)
    terms = services.AgreementTerms
    if form.validate_on_submit():
        if commit_or_show_refusal(
            form,
            lambda: services.agreement_record(
                relationship=relationship,
                actor=_me(),
                terms=terms(
                    model=form.model.data,
                    meeting_frequency=form.meeting_frequency.data,
                    meeting_format=form.meeting_format.data,
                    planned_sessions=form.planned_sessions.data,
                    notes=form.notes.data or "",
                    confidentiality_understood=form.confidentiality_understood.data,
                ),
            ),
        ):
            flash("Your agreement has been recorded.")
            return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    elif relationship.is_agreed and relationship.agreement_notes:
        queries.note_read_record(
            actor_id=current_user.id, relationship_id=relationship.id, what="agreement"
        )
    return render_template(
        "relationships/agreement.html",
        form=form,
        rel=relationship,
        confidentiality=CONFIDENTIALITY_TERMS,
        ending=ENDING_TERMS,
    ), (400 if form.errors else 200)


def _agreement_data(relationship: MentoringRelationship) -> dict:
    return {
        "model": relationship.model,
        "meeting_frequency": relationship.meeting_frequency,
        "meeting_format": relationship.meeting_format,
        "planned_sessions": relationship.planned_sessions,
        "notes": relationship.agreement_notes or "",
        "confidentiality_understood": True,
    }


@bp.route("/<relationship_id>/review", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def review(relationship_id: str):
    relationship = _load(relationship_id, may_end_relationship)
    if not relationship.is_active:
        refuse(record_type="mentoring_relationship", record_id=relationship_id)
    form = ExtendForm()
    if form.validate_on_submit() and _saved_unless_changed(
        form,
        lambda: services.relationship_extend(
            relationship=relationship, actor=_me(), extra_sessions=form.extra_sessions.data
        ),
        relationship_id=relationship_id,
        changed="The relationship changed while you were saving. Please check and try again.",
    ):
        flash(f"Extended: you now plan {relationship.planned_sessions} sessions.")
        return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    return render_template(
        "relationships/review.html",
        form=form,
        rel=relationship,
        sessions=services.sessions_logged(relationship.id),
    ), (400 if form.errors else 200)


@bp.route("/<relationship_id>/end", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def end(relationship_id: str):
    relationship = _load(relationship_id, may_end_relationship)
    if not relationship.is_active:
        refuse(record_type="mentoring_relationship", record_id=relationship_id)
    is_mentee = relationship.party_of(current_user.id) == "mentee"
    form = EndForm(mentee=is_mentee)
    # The other person may change or end it at the same moment: then nothing is saved.
    if form.validate_on_submit() and _saved_unless_changed(
        form,
        lambda: services.relationship_end(
            relationship=relationship, actor=_me(), reason=form.reason.data or None
        ),
        relationship_id=relationship_id,
        changed="The relationship changed while you were ending it. Please check and try again.",
    ):
        flash("The mentoring relationship has ended.")
        target = "relationships.feedback" if is_mentee else "relationships.detail"
        return redirect(url_for(target, relationship_id=relationship.id))
    return render_template(
        "relationships/end.html", form=form, rel=relationship, is_mentee=is_mentee
    ), (400 if form.errors else 200)


@bp.route("/<relationship_id>/feedback", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def feedback(relationship_id: str):
    relationship = _load(relationship_id, may_give_feedback)
    form = FeedbackForm()
    if form.validate_on_submit() and commit_or_show_refusal(
        form,
        lambda: services.feedback_give(
            relationship=relationship,
            actor=_me(),
            helpfulness=int(form.helpfulness.data),
            would_recommend={"yes": True, "no": False}.get(form.would_recommend.data or ""),
        ),
    ):
        flash("Thank you for your feedback.")
        return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    return render_template("relationships/feedback.html", form=form, rel=relationship), (
        400 if form.errors else 200
    )


@bp.route("/<relationship_id>/schedule", methods=["GET", "POST"])
@requires(Permission.USE_ACCOUNT)
def schedule(relationship_id: str):
    relationship = _load(relationship_id, may_agree_terms)
    if not relationship.is_active:
        refuse(record_type="mentoring_relationship", record_id=relationship_id)
    form = ScheduleForm(format=relationship.meeting_format)
    if form.validate_on_submit() and commit_or_show_refusal(
        form,
        lambda: services.next_session_set(
            relationship=relationship,
            starts_at=datetime.combine(form.date.data, form.time.data, tzinfo=_local_zone()),
            format=form.format.data,
            now=utcnow(),
        ),
    ):
        flash("The next session has been set. You can add it to your calendar.")
        return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    return render_template("relationships/schedule.html", form=form, rel=relationship), (
        400 if form.errors else 200
    )


@bp.route("/<relationship_id>/next-session.ics")
@requires(Permission.USE_ACCOUNT)
def invitation(relationship_id: str):
    relationship = _load(relationship_id)
    if relationship.next_session_at is None or not relationship.is_active:
        flash("No next session is set.", "error")
        return redirect(url_for("relationships.detail", relationship_id=relationship.id))
    body = session_invitation(
        relationship_id=relationship.id,
        starts_at=relationship.next_session_at,
        format=relationship.next_session_format or "",
        link=url_for("relationships.detail", relationship_id=relationship.id, _external=True),
        now=utcnow(),
        side=relationship.party_of(current_user.id) or "",
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="mentoring-session.ics"'},
    )


@bp.route("/<relationship_id>/reads")
@requires(Permission.USE_ACCOUNT)
def reads(relationship_id: str):
    relationship = _load(relationship_id, may_read_access_history)
    return render_template(
        "relationships/reads.html",
        rel=relationship,
        events=queries.read_history(relationship.id),
    )


@bp.route("/figures")
@requires(Permission.COORDINATE_SCHEME)
def figures():
    """For coordinators: that sessions happened (counts, dates, minutes); no names, no text."""
    return render_template("relationships/figures.html", rows=queries.relationship_figures())
