"""Evidence files for training records: checked by content, stored outside `static/`.

A file is accepted only when its first bytes say it is a PDF, PNG or JPEG, whatever its name or
the browser's claimed type, and only up to `TRAINING_EVIDENCE_MAX_BYTES`. It is stored under
`UPLOAD_FOLDER` with a random name and served only through the training blueprint's evidence view,
which asks `permissions.may_read_training_evidence` first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app

from mentoring.core.errors import ServiceError

# (signature, content type, file extension)
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
NOT_A_KNOWN_TYPE = "The evidence file must be a PDF, PNG or JPEG"


@dataclass(frozen=True)
class StoredEvidence:
    file: str  # the random name under UPLOAD_FOLDER
    name: str  # the name the mentor's file had, for display and download only
    content_type: str


def evidence_folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / "training"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def content_type_of(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def _too_big_message(limit: int) -> str:
    megabytes = limit / (1024 * 1024)
    size = f"{megabytes:g} MB" if megabytes >= 1 else f"{limit // 1024} KB"
    return f"The evidence file must be smaller than {size}"


def evidence_read(stream: IO[bytes]) -> tuple[bytes, str, str]:
    """Read an uploaded file whole, refusing it if too big or not a PDF or image."""
    limit = current_app.config["TRAINING_EVIDENCE_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ServiceError(_too_big_message(limit), field="evidence")
    if not data:
        raise ServiceError("The evidence file is empty", field="evidence")
    detected = content_type_of(data[:16])
    if detected is None:
        raise ServiceError(NOT_A_KNOWN_TYPE, field="evidence")
    content_type, extension = detected
    return data, content_type, extension


def evidence_store(*, stream: IO[bytes], original_name: str) -> StoredEvidence:
    data, content_type, extension = evidence_read(stream)
    file = f"{secrets.token_hex(16)}.{extension}"
    (evidence_folder() / file).write_bytes(data)
    display_name = Path(original_name or "").name[:200] or f"evidence.{extension}"
    return StoredEvidence(file=file, name=display_name, content_type=content_type)


def evidence_path(file: str) -> Path:
    path = evidence_folder() / Path(file).name
    return path


def evidence_delete(file: str | None) -> None:
    """Remove a stored file; called after the commit that stopped referring to it."""
    if file:
        evidence_path(file).unlink(missing_ok=True)
