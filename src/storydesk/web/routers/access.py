"""Logging in with an access token (browsers), logging out, and CSRF tokens for scripts (web/security.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from storydesk.web.deps import CSRFDep, RecordJSONResponse, read_form, render
from storydesk.web.security import SESSION_COOKIE, Access, csrf_token_for, current_user, safe_next

router = APIRouter(tags=["access"])


@router.get("/csrf.json", summary="A CSRF token for writes: send it as the X-CSRF-Token header", response_model=None)
def csrf(request: Request) -> Response:
    access: Access = request.app.state.access
    return RecordJSONResponse(
        {"csrf_token": csrf_token_for(request), "expires_in_s": access.csrf_seconds, "header": "X-CSRF-Token"},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/login", response_class=HTMLResponse, summary="The login form (when the server needs an access token)")
def login_form(request: Request, next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    access: Access = request.app.state.access
    if not access.required:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "user": current_user(request)})


@router.post(
    "/login", summary="Log in with an access token (form field `token`)", response_model=None, dependencies=[CSRFDep]
)
async def login(request: Request) -> Response:
    access: Access = request.app.state.access
    form = await read_form(request)
    token = form.get("token")
    target = form.get("next")
    next_path = safe_next(target if isinstance(target, str) else None)
    user = access.user_for_token(token.strip()) if isinstance(token, str) and token.strip() else None
    if user is None:
        page = render(request, "login.html", {"next": next_path, "error": "That token is not valid.", "user": None})
        page.status_code = 401
        return page
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        access.session_cookie(user),
        max_age=access.session_seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.get("/logout", response_class=HTMLResponse, summary="The log-out button")
def logout_form(request: Request) -> Response:
    return render(
        request, "login.html", {"next": "/stories", "error": None, "user": current_user(request), "leaving": True}
    )


@router.post("/logout", summary="Log out (forget the session cookie)", response_model=None, dependencies=[CSRFDep])
def logout(request: Request) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
