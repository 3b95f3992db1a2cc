"""The benchmark's ceiling page: served only when asked for, and it reads no database."""

from __future__ import annotations

from sqlalchemy import event

from mentoring import create_app
from mentoring.extensions import db as _db


def test_ceiling_is_absent_unless_the_benchmark_asks_for_it(database_url, upload_folder):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": upload_folder,
            "BENCHMARK_ROUTES": False,
        }
    )
    assert app.test_client().get("/bench/ceiling").status_code == 404


def test_ceiling_renders_the_base_template_without_the_database(app, client):
    statements: list[str] = []
    with app.app_context():
        engine = _db.engine

    def record(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get("/bench/ceiling")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Benchmark ceiling" in page and "nhsuk-header" in page
    assert statements == []
