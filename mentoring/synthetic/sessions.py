"""Session logs on each relationship's model, with sealed notes, topics, signposting and actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from mentoring.relationships.frameworks import model_of
from mentoring.relationships.session_models import (
    ActionItem,
    SessionLog,
    SessionSignpost,
    SessionStageNote,
    SessionTopic,
)
from mentoring.relationships.vocabulary import SIGNPOST_KINDS
from mentoring.sealing import NoteKey, context, seal
from mentoring.synthetic.plan import ACTIONS, SENTENCES, Plan
from mentoring.synthetic.relationships import Relationship, new_id
from mentoring.synthetic.writer import BulkWriter

CHUNK_SESSIONS = 20_000
REFLECTION = "Went well; keep the pace slower next time."


def plan_session_counts(plan: Plan, relationships: list[Relationship]) -> dict[str, int]:
    """Exactly the planned number of sessions, shared out by how long each pair has met."""
    rng = plan.rng("session-counts")
    agreed = [r for r in relationships if r.model]
    weeks = np.array([max(1.0, (_end(plan, r) - r.started_at).days / 7) for r in agreed])
    counts = rng.multinomial(plan.count("session_logs"), weeks / weeks.sum())
    return {r.id: int(c) for r, c in zip(agreed, counts.tolist(), strict=True) if c}


def _end(plan: Plan, relationship: Relationship) -> datetime:
    return relationship.ended_at or plan.now


class SessionRows:
    """Rows for a chunk of session logs, every note sealed to its own row and field."""

    def __init__(self, keys: list[NoteKey]) -> None:
        self.keys = keys
        self.logs: list[tuple] = []
        self.notes: list[tuple] = []
        self.topics: list[tuple] = []
        self.signposts: list[tuple] = []
        self.actions: list[tuple] = []

    def seal(self, text: str, table: str, row_id: str, field: str) -> bytes:
        return seal(text, bound_to=context(table, row_id, field), keys=self.keys)

    def add(self, rng: np.random.Generator, r: Relationship, held: date, fmt: str) -> None:
        log_id = new_id()
        logged = datetime.combine(held, datetime.min.time(), tzinfo=r.started_at.tzinfo)
        logged += timedelta(hours=18)
        sentence = SENTENCES[int(rng.integers(len(SENTENCES)))]
        self.logs.append(
            (
                log_id,
                r.id,
                held,
                int(rng.choice([30, 45, 60, 60, 90])),
                fmt,
                r.model,
                logged,
                logged,
                self.seal(sentence, "session_log", log_id, "summary"),
                self.seal(REFLECTION, "session_log", log_id, "reflection"),
                1,
            )
        )
        for position, stage in enumerate(model_of(r.model).stages):
            note_id = new_id()
            number = ("rating", int(rng.integers(0, 11))) if stage.numbers else (None, None)
            text = SENTENCES[(position + len(self.notes)) % len(SENTENCES)]
            sealed = self.seal(text, "session_stage_note", note_id, "notes")
            self.notes.append((note_id, log_id, stage.key, position, sealed, *number))
        for topic in r.topics[: int(rng.integers(1, 3))]:
            self.topics.append((log_id, topic))
        if rng.random() < 0.05:
            self.signposts.append(
                (log_id, SIGNPOST_KINDS[int(rng.integers(len(SIGNPOST_KINDS)))][0])
            )
        if rng.random() < 0.7:
            action_id = new_id()
            done = held < (r.ended_at or logged).date() - timedelta(days=21)
            self.actions.append(
                (
                    action_id,
                    r.id,
                    log_id,
                    self.seal(rng.choice(ACTIONS).item(), "action_item", action_id, "text"),
                    held + timedelta(days=14),
                    "done" if done else "open",
                    logged,
                    logged + timedelta(days=10) if done else None,
                )
            )

    def write(self, writer: BulkWriter) -> None:
        writer.write(
            SessionLog.__table__,
            (
                "id",
                "relationship_id",
                "held_on",
                "minutes",
                "format",
                "model",
                "logged_at",
                "updated_at",
                "summary_sealed",
                "reflection_sealed",
                "version",
            ),
            self.logs,
        )
        writer.write(
            SessionStageNote.__table__,
            (
                "id",
                "session_id",
                "stage",
                "position",
                "notes_sealed",
                "number_field",
                "number_value",
            ),
            self.notes,
        )
        writer.write(SessionTopic.__table__, ("session_id", "topic"), self.topics)
        writer.write(SessionSignpost.__table__, ("session_id", "kind"), self.signposts)
        writer.write(
            ActionItem.__table__,
            (
                "id",
                "relationship_id",
                "session_id",
                "text_sealed",
                "due_on",
                "status",
                "created_at",
                "status_changed_at",
            ),
            self.actions,
        )


def write_sessions(
    writer: BulkWriter,
    plan: Plan,
    relationships: list[Relationship],
    counts: dict[str, int],
    keys: list[NoteKey],
) -> None:
    rng = plan.rng("sessions")
    formats = ("video", "in_person", "phone")
    chunk = SessionRows(keys)
    for r in relationships:
        count = counts.get(r.id, 0)
        if not count:
            continue
        first, last = r.started_at.date(), _end(plan, r).date() - timedelta(days=1)
        span = max(0, (last - first).days)
        offsets = np.sort(rng.integers(0, span + 1, size=count)).tolist()
        fmt = formats[int(rng.integers(len(formats)))]
        for offset in offsets:
            chunk.add(rng, r, first + timedelta(days=offset), fmt)
        if len(chunk.logs) >= CHUNK_SESSIONS:
            chunk.write(writer)
            chunk = SessionRows(keys)
    chunk.write(writer)
