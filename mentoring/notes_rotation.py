"""Key rotation for sealed text: re-seal every value under the newest key, batch by batch."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from mentoring.extensions import db
from mentoring.sealing import context, note_keys, reseal, sealed_fields


def rotate_note_keys(*, batch_size: int, progress: Callable[[str], None] = print) -> int:
    keys = note_keys()
    total = 0
    for model, column, field in sealed_fields():
        done = 0
        last_id = None
        while True:
            query = select(model).where(getattr(model, column).is_not(None)).order_by(model.id)
            if last_id is not None:
                query = query.where(model.id > last_id)
            rows = db.session.scalars(query.limit(batch_size)).all()
            if not rows:
                break
            for row in rows:
                bound_to = context(model.__tablename__, row.id, field)
                fresh = reseal(getattr(row, column), bound_to=bound_to, keys=keys)
                if fresh is not None:
                    setattr(row, column, fresh)
                    done += 1
            last_id = rows[-1].id
            db.session.commit()
        progress(f"{model.__tablename__}.{field}: {done} re-sealed")
        total += done
    return total
