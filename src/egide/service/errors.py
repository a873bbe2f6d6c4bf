"""Errors the service turns into 4xx JSON answers: the library raises them, routes stay thin."""

from __future__ import annotations


class ServiceError(Exception):
    """A client-side problem with an HTTP status and a short machine-readable code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ServiceError):
    status = 400
    code = "bad_request"


class Unauthorized(ServiceError):
    status = 401
    code = "unauthorized"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"


class TooLarge(ServiceError):
    status = 413
    code = "too_large"


class UnsupportedMedia(ServiceError):
    status = 415
    code = "unsupported_media"


class Unprocessable(ServiceError):
    status = 422
    code = "unprocessable"
