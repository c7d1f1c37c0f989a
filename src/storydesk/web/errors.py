"""Errors as the user sees them: `{"error": message}` with the right status, or an error page.

JSON goes to API clients (`*.json` paths, and anyone who does not ask for
HTML); a browser asking for HTML gets the same message on a page.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from storydesk.errors import NotFound
from storydesk.web.deps import prefers_html, wants_json
from storydesk.web.security import Forbidden


class BadInput(Exception):
    """A request the server understood but cannot act on (422)."""


class TooLarge(Exception):
    """An upload over settings.web.max_upload_bytes (413)."""


class LengthRequired(Exception):
    """A form upload without Content-Length, whose size cannot be checked before parsing (411)."""


def error_response(request: Request, status: int, message: str) -> Response:
    if not wants_json(request) and prefers_html(request):
        html = request.app.state.templates.get_template("error.html").render(
            request=request, status=status, message=message
        )
        return HTMLResponse(html, status_code=status)
    return JSONResponse({"error": message}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


# Our exceptions and the HTTP status each one answers with.
_STATUS: dict[type[Exception], int] = {
    NotFound: 404,
    BadInput: 422,
    TooLarge: 413,
    LengthRequired: 411,
    Forbidden: 403,
}


def _handler(status: int):  # type: ignore[no-untyped-def]
    async def handle(request: Request, exc: Exception) -> Response:
        return error_response(request, status, str(exc))

    return handle


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into error responses."""

    for exc_class, status in _STATUS.items():
        app.add_exception_handler(exc_class, _handler(status))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return error_response(request, exc.status_code, message)
