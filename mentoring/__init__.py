"""A confidential mentoring scheme for doctors."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, has_request_context
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, INSTANCE_DIR, Config


def create_app(config: str | type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the application.

    `config` is an environment name ("development", "testing", "production"), a config class, or a
    dict of overrides applied on top of the `MENTORING_ENV` environment (development by default).
    """
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(INSTANCE_DIR),
    )
    config_class, overrides = _resolve_config(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.check(app.config)
    _check_report_rules(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["TRUSTED_PROXY_COUNT"]:
        # Behind a reverse proxy: take the client address and scheme from its headers.
        count = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    register_template_context(app)  # first: extensions read app.jinja_env, which fixes its options
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_cli(app)
    return app


def _check_report_rules(config) -> None:
    """Refuse to start with disclosure settings reports would refuse, in every environment.

    Otherwise a bad `REPORT_*` value would surface only when a coordinator opened a report.
    """
    from config import ConfigurationError
    from mentoring.reports.disclosure import DisclosureRules

    try:
        DisclosureRules.from_config(config)
    except (TypeError, ValueError) as error:
        raise ConfigurationError(
            f"Refusing to start: the report disclosure settings (REPORT_SUPPRESSION_THRESHOLD, "
            f"REPORT_ROUNDING_BASE, REPORT_MIN_GROUP_FOR_SUMMARY) are not allowed: {error}. "
            "See README, 'Configuration'."
        ) from error


def _resolve_config(config) -> tuple[type[Config], dict[str, Any]]:
    if isinstance(config, type):
        return config, {}
    if isinstance(config, str):
        return CONFIGS[config], {}
    env_name = os.environ.get("MENTORING_ENV", "development")
    if env_name not in CONFIGS:
        raise RuntimeError(f"MENTORING_ENV must be one of {', '.join(CONFIGS)}, not {env_name!r}")
    return CONFIGS[env_name], dict(config or {})


def register_extensions(app: Flask) -> None:
    import mentoring.models  # noqa: F401 - every model known before Migrate compares the schema
    from mentoring.core.connections import ping_when_idle, transaction_from_first_write
    from mentoring.extensions import csrf, db, limiter, login_manager, mail, migrate
    from mentoring.reports.cache import init_report_cache
    from mentoring.security import init_security

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
            if app.config["DATABASE_TRANSACTION_FROM_FIRST_WRITE"]:
                transaction_from_first_write(engine, in_scope=has_request_context)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    init_report_cache(app)
    login_manager.init_app(app)
    init_security(app, login_manager)


def register_blueprints(app: Flask) -> None:
    from mentoring.admin.views import bp as admin_bp
    from mentoring.auth.security_views import bp as security_bp
    from mentoring.auth.views import bp as auth_bp
    from mentoring.checkins.views import bp as checkins_bp
    from mentoring.conflicts.views import bp as conflicts_bp
    from mentoring.core.views import bp as core_bp
    from mentoring.directory.views import bp as directory_bp
    from mentoring.mentors.support_views import bp as mentor_support_bp
    from mentoring.mentors.views import bp as mentors_bp
    from mentoring.relationships.session_views import bp as sessions_bp
    from mentoring.relationships.views import bp as relationships_bp
    from mentoring.reports.views import bp as reports_bp
    from mentoring.requests_.coordination_views import bp as coordination_bp
    from mentoring.requests_.views import bp as requests_bp
    from mentoring.training.views import bp as training_bp

    for blueprint in (
        core_bp,
        auth_bp,
        admin_bp,
        directory_bp,
        checkins_bp,
        training_bp,
        mentors_bp,
        mentor_support_bp,
        conflicts_bp,
        requests_bp,
        coordination_bp,
        relationships_bp,
        sessions_bp,
        reports_bp,
    ):
        app.register_blueprint(blueprint)
    # Security and privacy (issue 5)
    from mentoring.privacy.views import bp as privacy_bp

    for blueprint in (security_bp, privacy_bp):
        app.register_blueprint(blueprint)
    if app.config["BENCHMARK_ROUTES"]:
        from mentoring.core.bench_views import bp as bench_bp

        app.register_blueprint(bench_bp)


def register_request_hooks(app: Flask) -> None:
    from mentoring.auth.session_policy import enforce_session_limits, require_second_factor
    from mentoring.input_guard import refuse_nul_characters
    from mentoring.permissions import enforce_access_policy
    from mentoring.security import set_cache_headers

    app.before_request(refuse_nul_characters)
    app.before_request(enforce_session_limits)  # an expired session decides nothing
    app.before_request(enforce_access_policy)
    app.before_request(require_second_factor)
    app.after_request(set_cache_headers)


def register_errorhandlers(app: Flask) -> None:
    from mentoring.core.errors_views import register

    register(app)


def register_template_context(app: Flask) -> None:
    from mentoring.core.templating import register

    register(app)


def register_cli(app: Flask) -> None:
    from mentoring.cli import register

    register(app)
