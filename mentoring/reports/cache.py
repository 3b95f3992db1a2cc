"""Published dashboard figures, kept once worked out, so the page costs the same at any data size.

What is kept is exactly what a page shows: each section's tables after disclosure control. A `Cell`
that disclosure control hid carries no number, so nothing kept here is a true count; the raw figures
a dashboard reads on the way (`ReportContext.shared`) are never kept. Entries are JSON, never
pickle, so whoever can write to the cache's store cannot make the app run code.

An entry is found by a key of the reporting period and group, the period's state ("closed", or
"running" and today's date in the scheme's time zone, since a running period's figures are "as at"
today), and a namespace: a hash of the reports' code, the disclosure rules, the organisations, the
time zone and the database (never its password). A change to any of these finds no old entry. The
figures do not depend on who asks: reports are for coordinators and admins alike, and the policy
module decides who may read them before any entry is read (`published_dashboard`).

Figures are worked out again when older than `REPORT_CACHE_RUNNING_SECONDS` (the running period) or
`REPORT_CACHE_CLOSED_SECONDS` (a period that has ended: late-logged sessions and retention can still
change it). Nobody can ask for them sooner. Each computation is also kept under its own stamp for
`REPORT_CACHE_DOWNLOAD_GRACE_SECONDS` more, so a page's CSV links serve that page's figures even
after they have been replaced. And its head (its stamp and time, no figures) is kept beside it, so
a page whose HTML this process keeps reads a few bytes from the store, not the figures.

If the store cannot be reached (Redis down), figures are worked out for the request and not kept.

The page's figures are also kept as rendered HTML (UTF-8), with the filter form above them
(`kept_page`): they depend only on one computation (its stamp), the query and the day (the form's
menus), so they are rendered once per computation, query and day. That HTML is trusted markup, so
it is kept in this process only (bounded, and expiring with the figures it came from), never in
the shared store: whoever can write to the store can change no page's markup.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property
from importlib import resources
from typing import Any

from cachelib import SimpleCache
from cachelib.serializers import JSONSerializer
from flask import Flask, current_app, request
from flask_login import current_user
from redis.exceptions import RedisError
from sqlalchemy.engine import make_url

from mentoring.extensions import report_cache
from mentoring.permissions import Permission, refuse
from mentoring.reports.context import ReportContext
from mentoring.reports.disclosure import Cell, Hidden
from mentoring.reports.tables import Section, Table, TableRow

FORMAT = 1  # the shape of an entry; change it when `_dump` changes
WORKING_SECONDS = 120  # longest a request may take to work figures out before another may try
_STAMP = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
_STORE_ERRORS = (OSError, RedisError)  # the store could not be reached or answered wrongly
PAGES_KEPT = (
    32  # rendered page blocks kept per process (up to about 160 KB each): views, not people
)
PAGES = "report_pages"  # the app's extension holding them
HEAD = "head"  # an entry's stamp and time without its figures (shorter than any stamp)


class _Json(JSONSerializer):
    """cachelib's JSON serializer, quiet about a key that is not there."""

    def loads(self, bvalue: Any, *args: Any, **kwargs: Any) -> Any:
        return None if bvalue is None else super().loads(bvalue, *args, **kwargs)


def init_report_cache(app: Flask) -> None:
    """Bind the report cache to the store named by REPORT_CACHE_URL ("memory://" or Redis)."""
    url = app.config["REPORT_CACHE_URL"]
    settings: dict[str, Any] = {
        "CACHE_SERIALIZER": _Json(),
        "CACHE_KEY_PREFIX": app.config["REPORT_CACHE_KEY_PREFIX"],
        "CACHE_DEFAULT_TIMEOUT": _kept_for(app.config, closed=True),
    }
    if url.startswith("memory://"):
        settings |= {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    elif url.startswith(("redis://", "rediss://", "unix://")):
        settings |= {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url}
    else:
        raise ValueError("REPORT_CACHE_URL must be memory:// or a redis:// URL")
    report_cache.init_app(app, config=settings)
    # Rendered figures (`kept_page`), in this process only; each expires with its figures.
    app.extensions[PAGES] = SimpleCache(threshold=PAGES_KEPT)


@dataclass(frozen=True)
class Published:
    """A dashboard as published: its sections, when they were worked out, and how to find them."""

    data: list[dict] = field(repr=False)  # the sections as kept (`_dump`)
    computed_at: datetime  # UTC
    stamp: str | None  # names this computation for the page's CSV links; None if not kept
    closed: bool  # the period has ended
    refresh_seconds: int  # how long these figures are shown before they are worked out again

    @cached_property
    def sections(self) -> list[Section]:
        """Built when first asked for: a page whose figures are kept rendered never needs them."""
        return _load(self.data)


def now() -> datetime:
    return datetime.now(UTC)


def published_dashboard(ctx: ReportContext) -> Published:
    """The dashboard for `ctx`: kept figures while fresh, otherwise worked out and kept.

    When kept figures have gone stale, one request works them out again; any other request
    meanwhile gets the stale figures (with their own "as at" time) instead of starting the same
    work, so a busy dashboard never runs its queries many times at once.
    """
    _require_report_reader()
    closed = is_closed(ctx)
    key = cache_key(ctx)
    entry = _read(key)
    if entry is not None and _is_fresh(entry, closed):
        return _published(entry, closed)
    working = f"{key}:working"
    claimed = _claim(working)
    if entry is not None and not claimed:
        return _published(entry, closed)
    try:
        entry = _compute(ctx)
        kept = _write(
            {key: entry, f"{key}:{entry['stamp']}": entry, f"{key}:{HEAD}": _head(entry)},
            _kept_for(current_app.config, closed=closed),
        )
    finally:
        if claimed:
            _release(working)
    return _published(entry if kept else {**entry, "stamp": None}, closed)


def _compute(ctx: ReportContext) -> dict:
    from mentoring.reports.sections import build_dashboard

    return {
        "format": FORMAT,
        "stamp": secrets.token_urlsafe(12),
        "computed_at": now().timestamp(),
        "sections": _dump(build_dashboard(ctx)),
    }


def published_computation(ctx: ReportContext, stamp: str) -> Published | None:
    """The figures of one earlier computation (a page's CSV links), or None if no longer kept."""
    _require_report_reader()
    if not _STAMP.match(stamp):
        return None
    entry = _read(f"{cache_key(ctx)}:{stamp}")
    if entry is None or entry.get("stamp") != stamp:
        return None
    return _published(entry, is_closed(ctx))


def kept_page(ctx: ReportContext, published: Published, render: Callable[[], str]) -> bytes:
    """The dashboard's page block as UTF-8 HTML: `render()` once per computation and view, then the
    same bytes (kept encoded: the page's one non-ASCII character makes encoding 160 KB of it cost
    more than the rest of the page).

    What `render` draws (templates/reports/_page.html: the filter form, then the figures in
    reports/_figures.html) depends on nothing but `published` (its figures, time and refresh), the
    query, the menus (today's date; the organisations, fixed for the app) and the root path: no
    person, token or nonce, which dashboard.html puts around it for each request. So the HTML is
    kept under the computation's stamp, the query, today's date and the root path; a new
    computation has a new stamp and is rendered afresh, a new day has new menus, and the HTML
    expires when its figures do. Figures that were not kept (no stamp) are rendered for the request
    only, as is everything while templates reload on change (development: an edited template shows
    at once). Only a report reader gets here (`published_dashboard` checked already; checked again,
    as for every read of kept figures).
    """
    _require_report_reader()
    if published.stamp is None or current_app.jinja_env.auto_reload:
        return render().encode()
    key = _page_key(ctx, published.stamp, published.closed, published.refresh_seconds)
    pages: SimpleCache = current_app.extensions[PAGES]
    html = pages.get(key)
    if html is None:
        # An autoescaped Jinja render, as any page, kept in this process only: never the store.
        html = render().encode()
        pages.set(key, html, timeout=_kept_for(current_app.config, closed=published.closed))
    return html


def dashboard_page(ctx: ReportContext, render: Callable[[Published], str]) -> bytes:
    """The dashboard's page block for `ctx`: `render(published)` kept by `kept_page`.

    Most requests find this process already keeping the HTML of the figures the store holds
    fresh: for those only the figures' head (their stamp and time, a few bytes) is read from the
    store, never the figures themselves. Anything else (no head, stale figures, HTML not kept here,
    templates reloading on change) takes the whole way: `published_dashboard`, then `kept_page`.
    """
    _require_report_reader()
    html = _kept_fresh_page(ctx)
    if html is not None:
        return html
    published = published_dashboard(ctx)
    return kept_page(ctx, published, lambda: render(published))


def _kept_fresh_page(ctx: ReportContext) -> bytes | None:
    """The kept HTML of the figures the store's head names, if they are fresh and kept here."""
    if current_app.jinja_env.auto_reload:
        return None
    closed = is_closed(ctx)
    head = _read(f"{cache_key(ctx)}:{HEAD}", quiet=True)
    if head is None or not _is_fresh(head, closed):
        return None
    stamp = head.get("stamp")
    if not isinstance(stamp, str) or not _STAMP.match(stamp):
        return None
    pages: SimpleCache = current_app.extensions[PAGES]
    return pages.get(_page_key(ctx, stamp, closed, _refresh_seconds(closed)))


def _page_key(ctx: ReportContext, stamp: str, closed: bool, refresh_seconds: int) -> str:
    """What the kept page block shows: one computation, the query, the day and the root path."""
    query = ctx.query
    return repr(
        (
            stamp,
            query.period.key,
            query.group.key if query.group else None,
            closed,
            refresh_seconds,
            ctx.today.isoformat(),  # the period menu: this quarter back, this month back
            request.script_root,  # the form's and the CSV links' path
        )
    )


def _head(entry: dict) -> dict:
    """An entry without its figures: which computation is current, and when it was worked out."""
    return {"format": entry["format"], "stamp": entry["stamp"], "computed_at": entry["computed_at"]}


def is_closed(ctx: ReportContext) -> bool:
    """The period ended before today (in the scheme's time zone)."""
    return ctx.query.period.end <= ctx.today


def cache_key(ctx: ReportContext) -> str:
    query = ctx.query
    state = "closed" if is_closed(ctx) else f"running-{ctx.today.isoformat()}"
    group = query.group.key if query.group else "all"
    return f"{_namespace(ctx)}:{query.period.key}:{group}:{state}"


def _require_report_reader() -> None:
    """Defence in depth: the view's policy already let this person in (`@requires`)."""
    if not (current_user.is_authenticated and current_user.can(Permission.READ_REPORTS)):
        refuse()


def _namespace(ctx: ReportContext) -> str:
    config = current_app.config
    database = make_url(config["SQLALCHEMY_DATABASE_URI"]).set(password=None)
    parts = [
        f"format {FORMAT}",
        _code_fingerprint(),
        repr(ctx.rules),
        repr(ctx.organisations),
        str(ctx.zone),
        database.render_as_string(hide_password=True),
    ]
    return "v" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


@cache
def _code_fingerprint() -> str:
    """A hash of the reports' source: new code never reads figures kept by old code."""
    digest = hashlib.sha256()
    package = resources.files("mentoring.reports")
    for name in sorted(p.name for p in package.iterdir() if p.name.endswith(".py")):
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()


def _kept_for(config, *, closed: bool) -> int:
    fresh = config["REPORT_CACHE_CLOSED_SECONDS" if closed else "REPORT_CACHE_RUNNING_SECONDS"]
    return int(fresh) + int(config["REPORT_CACHE_DOWNLOAD_GRACE_SECONDS"])


def _refresh_seconds(closed: bool) -> int:
    name = "REPORT_CACHE_CLOSED_SECONDS" if closed else "REPORT_CACHE_RUNNING_SECONDS"
    return int(current_app.config[name])


def _is_fresh(entry: dict, closed: bool) -> bool:
    age = now().timestamp() - float(entry["computed_at"])
    return age < _refresh_seconds(closed)


def _read(key: str, *, quiet: bool = False) -> dict | None:
    try:
        entry = report_cache.get(key)
    except _STORE_ERRORS as error:
        if not quiet:  # a head read first: the whole way after it says so once
            current_app.logger.warning("report cache unreadable, working figures out: %s", error)
        return None
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    return entry


def _write(entries: dict[str, dict], timeout: int) -> bool:
    try:
        return bool(report_cache.set_many(entries, timeout=timeout))
    except _STORE_ERRORS as error:
        current_app.logger.warning("report cache unwritable, figures not kept: %s", error)
        return False


def _claim(key: str) -> bool:
    """True for the one request that may work figures out again (others serve the stale ones)."""
    try:
        return bool(report_cache.add(key, 1, timeout=WORKING_SECONDS))
    except _STORE_ERRORS:
        return True


def _release(key: str) -> None:
    with contextlib.suppress(*_STORE_ERRORS):
        report_cache.delete(key)


def _published(entry: dict, closed: bool) -> Published:
    return Published(
        data=entry["sections"],
        computed_at=datetime.fromtimestamp(float(entry["computed_at"]), UTC),
        stamp=entry["stamp"],
        closed=closed,
        refresh_seconds=_refresh_seconds(closed),
    )


# --- sections to JSON and back ------------------------------------------------------------------


def _dump(sections: list[Section]) -> list[dict]:
    """Plain data of the published sections: text, and cells as value, why hidden and kind.

    A hidden cell is kept with no value at all, whatever it was built with.
    """
    data = [dataclasses.asdict(section) for section in sections]
    for section in data:
        for table in section["tables"]:
            for row in [*table["rows"], *([table["total"]] if table["total"] else [])]:
                for cell in row["cells"]:
                    if cell["hidden"] is not None:
                        cell["value"] = None
    return json.loads(json.dumps(data))


def _load(data: list[dict]) -> list[Section]:
    return [
        Section(**{**section, "tables": [_table(table) for table in section["tables"]]})
        for section in data
    ]


def _table(data: dict) -> Table:
    total = data.get("total")
    return Table(
        **{
            **data,
            "rows": [_row(row) for row in data["rows"]],
            "total": _row(total) if total else None,
        }
    )


def _row(data: dict) -> TableRow:
    return TableRow(label=data["label"], cells=[_cell(cell) for cell in data["cells"]])


def _cell(data: dict) -> Cell:
    hidden = data.get("hidden")
    return Cell(
        value=None if hidden else data["value"],
        hidden=Hidden(hidden) if hidden else None,
        kind=data["kind"],
    )
