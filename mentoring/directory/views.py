"""Finding support: the directory, its poster, and coordinators keeping it up to date."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from mentoring.core import unit_of_work
from mentoring.core.errors import ServiceError
from mentoring.core.forms import add_service_error
from mentoring.directory import queries, services
from mentoring.directory.forms import (
    ABOUT_PAIRS,
    SEVERITY_PAIRS,
    WHEN_PAIRS,
    DirectoryFilterForm,
    SupportServiceForm,
)
from mentoring.directory.models import Severity, SupportService
from mentoring.directory.opening import Window, describe
from mentoring.permissions import (
    Permission,
    load_or_404,
    may_manage_support_service,
    requires,
)

bp = Blueprint("directory", __name__, url_prefix="/support")

_ABOUT_LABELS = dict(ABOUT_PAIRS)
# Services shown per page of the directory: a national directory runs to hundreds, and one page of
# them all was the slowest page in the benchmark (README, "Performance"). Most urgent come first.
PER_PAGE = 20


@bp.app_template_filter("about_label")
def about_label(value: str) -> str:
    """The label of a kind of problem or a topic, for any template."""
    return _ABOUT_LABELS.get(value, value)


@bp.app_template_filter("about_labels")
def about_labels(values: list[str], separator: str) -> str:
    """The labels of kinds of problem or topics, joined: `map("about_label") | join(separator)`
    in one call (a listing shows two such lists)."""
    return separator.join([_ABOUT_LABELS.get(value, value) for value in values])


# Rendered listings kept for each application, the most recent this many (about 2 kB each).
LISTINGS_KEPT = 1000


# A filter, not a global: every template's imports pay for each global there is.
@bp.app_template_filter("directory_listings")
def directory_listings(items, heading_level: int, can_manage: bool) -> Markup:
    """`listings(items, heading_level, can_manage)` of templates/directory/_listing.html, each
    listing rendered once for everything it shows and kept.

    A listing's markup is a function of the listing itself (a `Listing` is every value it shows,
    "open now" included, and nothing else), the heading level, whether the reader may change
    services (the links) and the application's root path (the links' paths): the key is all of
    them. It holds no token, nonce or person, and a service changed, or opening or closing, is a
    new key, so no process needs telling. The template is part of the key too (templates that
    reload in development start afresh).
    """
    template = current_app.jinja_env.get_template("directory/_listing.html")
    renderers = current_app.extensions.setdefault("directory_listings", {})
    render = renderers.get(template)
    if render is None:
        renderers.clear()
        render = renderers[template] = lru_cache(maxsize=LISTINGS_KEPT)(
            _listing_renderer(template.module.listings)
        )
    root = request.script_root
    # Each part is the macro's output (`Markup`, escaped as it was rendered): joined as it is,
    # rather than by `Markup.join`, which escapes every part again (a few calls a listing).
    return Markup("".join([render(item, heading_level, can_manage, root) for item in items]))  # nosec B704  # noqa: S704


def _listing_renderer(macro):
    def render(item, heading_level: int, can_manage: bool, _root: str) -> Markup:
        return macro([item], heading_level, can_manage)

    return render


# The filters' known values (as `DirectoryFilterForm` checks them): a query of known values is
# shown from a kept page block, without making the form.
_FILTERS = {
    name: frozenset(value for value, _label in pairs)
    for name, pairs in (
        ("about", ABOUT_PAIRS),
        ("urgency", [("", "Any"), *SEVERITY_PAIRS]),
        ("when", WHEN_PAIRS),
    )
}
# Page blocks kept for each version of the directory: filters, pages, minutes, readers, root paths.
PAGES_KEPT = 64


@bp.route("")
@requires(Permission.USE_ACCOUNT)
def services_list():
    """The directory, 20 services a page, most urgent first.

    Its page block (templates/directory/_page.html: everything under the header) shows only public
    values: the directory as kept at its version (`queries.kept_directory`), what is open at this
    minute, the filters and page asked for, whether the reader may change services and the root
    path. So it is rendered once for all of those and kept with that version of the directory (a
    change to the directory is a new version, and starts afresh). A filter of an unknown value is
    shown by the form, with its message, for that request only."""
    filters = {name: request.args.get(name, "") for name in _FILTERS}
    page = max(request.args.get("page", 1, type=int), 1)
    kept = queries.kept_directory()
    now = queries.local_now()
    can_manage = current_user.can(Permission.MANAGE_DIRECTORY)
    if all(filters[name] in known for name, known in _FILTERS.items()):
        template = current_app.jinja_env.get_template("directory/_page.html")
        key = (
            now.weekday(),
            now.hour * 60 + now.minute,
            *filters.values(),
            page,
            can_manage,
            request.script_root,
            template,  # templates that reload in development start afresh
        )
        block = kept.pages.get(key)
        if block is None:
            form = DirectoryFilterForm(request.args)
            form.validate()
            block = _page_block(template, kept, now, form, filters, page, can_manage)
            if len(kept.pages) >= PAGES_KEPT:
                kept.pages.clear()
            kept.pages[key] = block
        return render_template("directory/services.html", page_block=block)
    form = DirectoryFilterForm(request.args)
    form.validate()
    filters = {name: "" if getattr(form, name).errors else value for name, value in filters.items()}
    template = current_app.jinja_env.get_template("directory/_page.html")
    block = _page_block(template, kept, now, form, filters, page, can_manage)
    return render_template("directory/services.html", page_block=block, form=form), 400


def _page_block(template, kept, now, form, filters: dict, page: int, can_manage: bool) -> Markup:
    found = kept.search(now, filters["about"], filters["urgency"], filters["when"])
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(page, pages)  # past the end (an old link): the last page
    # The template's own output, escaped as it was rendered.
    return Markup(  # nosec B704  # noqa: S704
        template.render(
            form=form,
            listings=list(found[(page - 1) * PER_PAGE : page * PER_PAGE]),
            total=len(found),
            page=page,
            pages=pages,
            per_page=PER_PAGE,
            page_url=lambda number: url_for(
                "directory.services_list", **{**filters, "page": number}
            ),
            filtered=any(filters.values()),
            has_examples=kept.has_examples,
            can_manage=can_manage,
        )
    )


@bp.route("/poster")
@requires(Permission.USE_ACCOUNT)
def poster():
    listings = queries.directory_search()
    return render_template(
        "directory/poster.html",
        groups=[(s, [item for item in listings if item.severity is s]) for s in Severity],
        has_examples=queries.directory_has_examples(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_DIRECTORY)
def service_new():
    form = SupportServiceForm()
    if form.validate_on_submit():
        try:
            service = services.support_service_create(details=_details(form))
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash(f"{service.name} added to the directory.")
            return redirect(url_for("directory.services_list"))
    return render_template("directory/service_form.html", form=form, service=None), (
        400 if form.errors else 200
    )


@bp.route("/<int:service_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_DIRECTORY)
def service_edit(service_id: int):
    service = load_or_404(SupportService, service_id, may_manage_support_service)
    form = SupportServiceForm(data=_form_data(service) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.support_service_update(service=service, details=_details(form))
            unit_of_work.commit()
        except ServiceError as error:
            unit_of_work.rollback()
            add_service_error(form, error)
        else:
            flash(f"{service.name} saved.")
            return redirect(url_for("directory.services_list"))
    return render_template("directory/service_form.html", form=form, service=service), (
        400 if form.errors else 200
    )


@bp.route("/<int:service_id>/delete", methods=["GET", "POST"])
@requires(Permission.MANAGE_DIRECTORY)
def service_delete(service_id: int):
    service = load_or_404(SupportService, service_id, may_manage_support_service)
    if request.method == "POST":
        name = service.name
        services.support_service_delete(service=service)
        unit_of_work.commit()
        flash(f"{name} removed from the directory.")
        return redirect(url_for("directory.services_list"))
    return render_template("directory/service_delete.html", service=service)


def _details(form: SupportServiceForm) -> services.SupportServiceDetails:
    return services.SupportServiceDetails(
        name=form.name.data,
        description=form.description.data,
        severity=Severity(form.severity.data),
        kinds=tuple(form.kinds.data or ()),
        topics=tuple(form.topics.data or ()),
        open_all_hours=bool(form.open_all_hours.data),
        windows=tuple(form.windows),
        self_referral=form.self_referral.data,
        phone=form.phone.data,
        website=form.website.data,
        email=form.email.data,
        is_internal=form.is_internal.data == "internal",
        confidentiality=form.confidentiality.data,
    )


def _form_data(service: SupportService) -> dict:
    windows = [Window(o.day, o.start_minute, o.end_minute) for o in service.openings]
    return {
        "name": service.name,
        "description": service.description,
        "severity": service.severity,
        "kinds": service.kind_values,
        "topics": service.topic_values,
        "open_all_hours": service.open_all_hours,
        "opening_hours": "\n".join(describe(windows, short=True)),
        "self_referral": service.self_referral or "",
        "phone": service.phone or "",
        "website": service.website or "",
        "email": service.email or "",
        "is_internal": "internal" if service.is_internal else "external",
        "confidentiality": service.confidentiality,
    }
