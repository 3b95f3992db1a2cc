"""Doctors ask for a mentor and choose one; mentors answer."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mentoring.audit.services import AuditAction, audit_record_now
from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.core.vocabulary import DAYS_OF_WEEK, TIME_SLOTS
from mentoring.extensions import db
from mentoring.matching.presentation import suggestion_cards
from mentoring.permissions import (
    Permission,
    load_or_404,
    may_answer_offer,
    may_manage_request,
    refuse,
    requires,
)
from mentoring.relationships.queries import active_relationship_as_mentee
from mentoring.requests_ import services
from mentoring.requests_.forms import (
    URGENT_TOPICS,
    ChooseMentorForm,
    DeclineForm,
    EmptyForm,
    RequestForm,
)
from mentoring.requests_.models import MentorOffer, OfferStatus
from mentoring.requests_.presentation import offer_summary, request_summary

bp = Blueprint("requests", __name__, url_prefix="/requests")


def _me():
    return current_user._get_current_object()


def _my_live_request():
    live = services.live_request_of(current_user.id)
    if live is not None:
        # Through the policy module, like every other access decision.
        load_or_404(type(live), live.id, may_manage_request)
    return live


def _answers_from_last_time() -> dict | None:
    """`?again=1` (the link sent when a mentor could not continue): the doctor's last request fills
    the form, all but their own words, which were written for that time."""
    previous = services.latest_request_of(current_user.id)
    if previous is None:
        return None
    load_or_404(type(previous), previous.id, may_manage_request)
    return {**RequestForm.data_from(previous), "wishes": ""}


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.SEEK_MENTORING)
def new():
    if _my_live_request() is not None and request.method == "GET":
        flash("You already have a request. You can change or withdraw it here.")
        return redirect(url_for("requests.mine"))
    again = request.method == "GET" and request.args.get("again") == "1"
    form = RequestForm(data=_answers_from_last_time() if again else None)
    if form.validate_on_submit():
        try:
            services.request_create(requester=_me(), details=form.details())
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        except IntegrityError:
            unit_of_work.rollback()
            form.form_errors.append("You already have a request")
        else:
            return redirect(url_for("requests.mine"))
    return _render_form("requests/new.html", form)


def _render_form(template: str, form: RequestForm):
    urgent = bool(URGENT_TOPICS & set(form.topics.data or ()))
    status = 400 if form.errors else 200
    return render_template(
        template,
        form=form,
        urgent_topics=URGENT_TOPICS,
        urgent=urgent,
        days=DAYS_OF_WEEK,
        slots_per_day=len(TIME_SLOTS),
    ), status


@bp.route("/mine")
@requires(Permission.SEEK_MENTORING)
def mine():
    services.offers_expire_due()
    unit_of_work.commit()
    live = _my_live_request()
    if live is None:
        return render_template("requests/none.html", relationship=active_relationship_as_mentee())
    cards = suggestion_cards(live) if live.status == "open" else []
    offer = services.pending_offer_of(live.id)
    return render_template(
        "requests/mine.html",
        live=live,
        summary=request_summary(live),
        cards=cards,
        offer=offer,
        form=ChooseMentorForm(),
        withdraw_form=EmptyForm(),
    )


@bp.route("/mine/edit", methods=["GET", "POST"])
@requires(Permission.SEEK_MENTORING)
def edit():
    live = _my_live_request()
    if live is None:
        abort(404)
    form = RequestForm(data=RequestForm.data_from(live) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.request_update(request=live, details=form.details())
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("Your request has been updated.")
            return redirect(url_for("requests.mine"))
    return _render_form("requests/edit.html", form)


@bp.route("/mine/withdraw", methods=["POST"])
@requires(Permission.SEEK_MENTORING)
def withdraw():
    live = _my_live_request()
    if live is None:
        abort(404)
    services.request_withdraw(request=live)
    unit_of_work.commit()
    flash("Your request has been withdrawn. You can ask again whenever you like.")
    return redirect(url_for("requests.mine"))


@bp.route("/mine/choose", methods=["POST"])
@requires(Permission.SEEK_MENTORING)
def choose():
    live = _my_live_request()
    if live is None:
        abort(404)
    form = ChooseMentorForm()
    if not form.validate_on_submit() or not form.mentor_id.data.isdigit():
        flash("Choose one of the mentors suggested to you.", "error")
        return redirect(url_for("requests.mine"))
    try:
        services.mentor_choose(request=live, mentor_id=int(form.mentor_id.data))
        unit_of_work.commit()
    except services.PlaceTaken as error:
        # Keep the refreshed shortlist: the doctor chooses again from it.
        unit_of_work.commit()
        flash(error.message, "error")
    except ServiceError as error:
        unit_of_work.rollback()
        flash(error.message, "error")
    except IntegrityError:
        unit_of_work.rollback()
        flash("You have already chosen a mentor for this request.", "error")
    else:
        flash("Thank you. We have asked your mentor, and will email you when they answer.")
    return redirect(url_for("requests.mine"))


# --- the mentor's side ----------------------------------------------------------------------------


@bp.route("/offers")
@requires(Permission.MENTOR)
def offers():
    services.offers_expire_due()
    unit_of_work.commit()
    pending = db.session.scalars(
        select(MentorOffer)
        .where(
            MentorOffer.mentor_id == current_user.id,
            MentorOffer.status == OfferStatus.PENDING.value,
        )
        .order_by(MentorOffer.respond_by)
    ).all()
    return render_template("requests/offers.html", offers=[offer_summary(o) for o in pending])


def _load_offer(offer_id: int) -> MentorOffer:
    return load_or_404(MentorOffer, offer_id, may_answer_offer)


@bp.route("/offers/<int:offer_id>")
@requires(Permission.MENTOR)
def offer(offer_id: int):
    services.offers_expire_due()
    unit_of_work.commit()
    found = _load_offer(offer_id)
    return render_template(
        "requests/offer.html", offer=offer_summary(found), accept_form=EmptyForm()
    )


@bp.route("/offers/<int:offer_id>/accept", methods=["POST"])
@requires(Permission.MENTOR)
def accept(offer_id: int):
    found = _load_offer(offer_id)
    try:
        services.offer_accept(offer=found, mentor=_me())
        unit_of_work.commit()
    except ServiceError as error:
        unit_of_work.rollback()
        flash(error.message, "error")
        return redirect(url_for("requests.offers"))
    except IntegrityError:
        unit_of_work.rollback()
        flash("This doctor already has a mentor.", "error")
        return redirect(url_for("requests.offers"))
    flash("Thank you for accepting. Your new mentee has been told.")
    return redirect(url_for("requests.accepted", offer_id=found.id))


@bp.route("/offers/<int:offer_id>/accepted")
@requires(Permission.MENTOR)
def accepted(offer_id: int):
    """After accepting, and only then, the mentor reads what the doctor wrote."""
    found = _load_offer(offer_id)
    if found.status != OfferStatus.ACCEPTED.value:
        refuse(record_type="mentor_offer", record_id=offer_id)
    audit_record_now(
        action=AuditAction.REQUEST_WISHES_READ,
        actor_id=current_user.id,
        record_type="mentoring_request",
        record_id=found.request_id,
    )
    return render_template("requests/accepted.html", offer=offer_summary(found, with_wishes=True))


@bp.route("/offers/<int:offer_id>/decline", methods=["GET", "POST"])
@requires(Permission.MENTOR)
def decline(offer_id: int):
    found = _load_offer(offer_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            services.offer_decline(offer=found, mentor=_me(), reason=form.reason.data)
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash("You have declined. The doctor will choose another mentor.")
            return redirect(url_for("requests.offers"))
    status = 400 if form.errors else 200
    return render_template("requests/decline.html", form=form, offer=offer_summary(found)), status
