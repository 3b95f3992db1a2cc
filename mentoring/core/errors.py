"""Domain errors raised by services; views turn them into messages next to the right field."""


class ServiceError(Exception):
    """A use case refused, with a message for the person and the form field it concerns."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
