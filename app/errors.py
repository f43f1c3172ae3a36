"""Domain errors that carry their HTTP status; one handler turns them into problem details."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base of every error the API reports on purpose (RFC 9457 problem details)."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotFound(ApiError):
    status = 404
    title = "Not found"


class Conflict(ApiError):
    status = 409
    title = "Conflict"


class InvalidInput(ApiError):
    status = 422
    title = "Invalid input"


class PayloadTooLarge(ApiError):
    status = 413
    title = "Payload too large"
