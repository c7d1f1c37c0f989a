"""Who may reach the web app, and what they may do: host allowlist, access tokens, CSRF.

Three checks, all in one plain ASGI middleware (`Guard`) so every route is
covered, including ones added later:

1. **Host allowlist.** The `Host` header must name this server: the loopback
   names, the address it is bound to, or `settings.web.allowed_hosts`. A
   DNS-rebinding page reaches the server under the attacker's own name and is
   refused (400), so it cannot read the store through a victim's browser.
2. **Access.** With an access token or a users file configured, every request
   but the login page and static files needs a credential: `Authorization:
   Bearer <token>` (scripts) or the signed session cookie the login page sets
   (browsers). A user has the `read` or the `write` role; writes need `write`.
   Without either configured the server only binds to loopback
   (`check_exposure`), where everyone on the machine is its user.
3. **Same origin for writes.** A POST (any unsafe method) whose `Origin`,
   `Sec-Fetch-Site` or `Referer` names another site is refused (403).

Writes also need a CSRF token (`require_csrf`, a dependency every write route
declares): an HMAC of the time it was issued and the user, sent as the form
field `csrf_token` or the `X-CSRF-Token` header. A page on another origin
cannot read one (the same-origin policy, and the host allowlist against
rebinding), so it cannot forge a write. Requests with a Bearer token are
exempt: browsers never attach that header on their own.

Hand-written rather than a library's: Starlette's TrustedHostMiddleware and
the CSRF packages each cover one check, with their own cookies and error pages;
these three fit in one pass over the headers that costs a few microseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlsplit

import orjson
from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from storydesk.settings import WebSettings

Role = Literal["read", "write"]
ROLES: tuple[Role, ...] = ("read", "write")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SESSION_COOKIE = "storydesk_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Reachable without a credential: the login page itself and the CSS it uses.
PUBLIC_PREFIXES = ("/login", "/static/")


class SecurityConfigError(ValueError):
    """A setting that would leave the server open, or a users file that cannot be read."""


class Forbidden(Exception):
    """A request the user may not make (403): a write without a valid CSRF token, or without the write role."""


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role

    @property
    def can_write(self) -> bool:
        return self.role == "write"


# Everyone on this machine, when no token is configured (the server then binds to loopback only).
LOCAL_USER = User("local", "write")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


def read_users(path: Path) -> dict[bytes, User]:
    """A users file: one `name role token` per line (`token` may be `sha256:<hex>` of it); `#` starts a comment.

    Returns token digest -> user. Any line that is not three fields with a known role is an error naming it.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SecurityConfigError(f"{path}: cannot read the users file ({exc.strerror or exc})") from None
    users: dict[bytes, User] = {}
    for number, line in enumerate(lines, start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or parts[1] not in ROLES:
            raise SecurityConfigError(f"{path}:{number}: expected 'name role token' with role read or write")
        name, role, token = parts
        if token.startswith("sha256:"):
            try:
                digest = bytes.fromhex(token.removeprefix("sha256:"))
            except ValueError:
                digest = b""
            if len(digest) != 32:
                raise SecurityConfigError(f"{path}:{number}: sha256: needs 64 hex digits")
        elif len(token) < 16:
            raise SecurityConfigError(f"{path}:{number}: a token needs at least 16 characters")
        else:
            digest = _digest(token)
        users[digest] = User(name, role)  # type: ignore[arg-type]
    if not users:
        raise SecurityConfigError(f"{path}: no users in the file")
    return users


def check_exposure(host: str, web: WebSettings) -> None:
    """Refuse to serve beyond loopback without an access token or a users file."""
    if not is_loopback(host) and not web.access_token and web.users_file is None:
        raise SecurityConfigError(
            f"serving on {host} needs an access token: set STORYDESK_TOKEN (or --token) or give "
            "--users FILE; or keep the default 127.0.0.1 and put a reverse proxy in front (docs/web.md)"
        )


class Access:
    """The server's keys and users: checks credentials and signs CSRF tokens and sessions."""

    def __init__(self, web: WebSettings) -> None:
        self.secret = (web.secret or secrets.token_urlsafe(32)).encode("utf-8")
        self.users: dict[bytes, User] = {}
        if web.access_token:
            if len(web.access_token) < 16:
                raise SecurityConfigError("the access token needs at least 16 characters")
            self.users[_digest(web.access_token)] = User("token", "write")
        if web.users_file is not None:
            self.users.update(read_users(web.users_file))
        self.required = bool(self.users)
        self.csrf_seconds = web.csrf_hours * 3600
        self.session_seconds = web.session_hours * 3600
        hosts = {h.lower().rstrip(".").strip("[]") for h in web.allowed_hosts}
        bound = web.host.strip("[]").lower()
        if bound not in ("0.0.0.0", "::", ""):
            hosts.add(bound)
        self.exact_hosts = frozenset(LOOPBACK_HOSTS | {h for h in hosts if not h.startswith(".")})
        self.suffix_hosts = tuple(h for h in hosts if h.startswith("."))

    # -- hosts -------------------------------------------------------------
    def host_allowed(self, host: str) -> bool:
        if host in self.exact_hosts:
            return True
        return any(host.endswith(suffix) or host == suffix[1:] for suffix in self.suffix_hosts)

    # -- credentials -------------------------------------------------------
    def user_for_token(self, token: str) -> User | None:
        digest = _digest(token)
        for known, user in self.users.items():
            if hmac.compare_digest(known, digest):
                return user
        return None

    def _sign(self, message: str) -> str:
        return hmac.new(self.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()[:40]

    def session_cookie(self, user: User) -> str:
        expires = int(time.time()) + self.session_seconds
        # Unpadded: "=" would make the cookie value a quoted string.
        payload = base64.urlsafe_b64encode(orjson.dumps([user.name, user.role, expires])).decode("ascii").rstrip("=")
        return f"{payload}.{self._sign('session|' + payload)}"

    def user_for_session(self, cookie: str) -> User | None:
        payload, _, signature = cookie.partition(".")
        if not payload or not hmac.compare_digest(signature, self._sign("session|" + payload)):
            return None
        try:
            name, role, expires = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (ValueError, TypeError):
            return None
        if role not in ROLES or expires < time.time():
            return None
        return User(str(name), role)

    # -- CSRF --------------------------------------------------------------
    def csrf_token(self, user: User | None) -> str:
        issued = str(int(time.time()))
        nonce = secrets.token_urlsafe(9)
        who = user.name if user else ""
        return f"{issued}.{nonce}.{self._sign(f'csrf|{issued}|{nonce}|{who}')}"

    def csrf_valid(self, token: str | None, user: User | None) -> bool:
        """Signed by this server, for this user, and younger than settings.web.csrf_hours."""
        if not token:
            return False
        issued, _, rest = token.partition(".")
        nonce, _, signature = rest.partition(".")
        if not issued.isdigit() or not nonce or time.time() - int(issued) > self.csrf_seconds:
            return False
        who = user.name if user else ""
        return hmac.compare_digest(signature, self._sign(f"csrf|{issued}|{nonce}|{who}"))


def _host_name(value: str) -> str:
    """The host of a Host header, lower case, without port or brackets: "[::1]:8000" -> "::1"."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0].rstrip(".") if value.count(":") == 1 else value.rstrip(".")


def _netloc(url: str) -> str | None:
    try:
        return urlsplit(url).netloc.lower() or None
    except ValueError:
        return None


def cross_site(headers: dict[bytes, bytes]) -> str | None:
    """Why an unsafe request comes from another site, or None when it is same-origin or not from a browser."""
    host = headers.get(b"host", b"").decode("latin-1").lower()
    origin = headers.get(b"origin")
    if origin is not None:
        value = origin.decode("latin-1")
        return None if _netloc(value) == host else f"Origin {value!r} is not this site"
    fetch_site = headers.get(b"sec-fetch-site")
    if fetch_site is not None:
        return None if fetch_site in (b"same-origin", b"none") else f"Sec-Fetch-Site is {fetch_site.decode()!r}"
    referer = headers.get(b"referer")
    if referer is not None and _netloc(referer.decode("latin-1")) != host:
        return "the Referer is another site"
    return None  # no browser header at all: a script, which needs the CSRF token or a Bearer token


def _cookie(headers: dict[bytes, bytes], name: str) -> str | None:
    raw = headers.get(b"cookie")
    if not raw:
        return None
    for part in raw.decode("latin-1").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value.strip('"')
    return None


class Guard:
    """The host, access and same-origin checks for every HTTP request (see the module docstring)."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = _host_name(headers.get(b"host", b"").decode("latin-1"))
        if not self.access.host_allowed(host):
            await _refuse(send, 400, f"Host {host or '(none)'!r} is not served here: add it with --allowed-host")
            return
        path: str = scope["path"]
        user, bearer = self._user(headers)
        state = scope.setdefault("state", {})
        state["user"], state["bearer"] = user, bearer
        if user is None and not path.startswith(PUBLIC_PREFIXES):
            await self._ask_to_log_in(scope, headers, send)
            return
        if scope["method"] not in SAFE_METHODS:
            if reason := cross_site(headers):
                await _refuse(send, 403, f"cross-site request refused: {reason}")
                return
            if user is not None and not user.can_write and not path.startswith(PUBLIC_PREFIXES):
                await _refuse(send, 403, f"user {user.name!r} may read but not write")
                return
        await self.app(scope, receive, send)

    def _user(self, headers: dict[bytes, bytes]) -> tuple[User | None, bool]:
        if not self.access.required:
            return LOCAL_USER, False
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth[:7].lower() == "bearer ":
            return self.access.user_for_token(auth[7:].strip()), True
        cookie = _cookie(headers, SESSION_COOKIE)
        return (self.access.user_for_session(cookie) if cookie else None), False

    async def _ask_to_log_in(self, scope: Scope, headers: dict[bytes, bytes], send: Send) -> None:
        wants_html = b"text/html" in headers.get(b"accept", b"") and not scope["path"].endswith(".json")
        if wants_html and scope["method"] == "GET":
            target = scope["path"] + (f"?{scope['query_string'].decode('latin-1')}" if scope["query_string"] else "")
            location = "/login?next=" + quote(target, safe="")
            await send({"type": "http.response.start", "status": 303, "headers": [(b"location", location.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return
        await _refuse(
            send, 401, "an access token is needed: Authorization: Bearer <token>, or log in at /login",
            extra=[(b"www-authenticate", b'Bearer realm="storydesk"')],
        )  # fmt: skip


async def _refuse(send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    body = orjson.dumps({"error": message})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def current_user(request: Request) -> User | None:
    return request.scope.get("state", {}).get("user")


def csrf_token_for(request: Request) -> str:
    """A CSRF token for the forms on this page, bound to the user."""
    access: Access = request.app.state.access
    return access.csrf_token(current_user(request))


def verify_csrf(request: Request, token: str | None) -> None:
    """Raise Forbidden unless `token` is this server's, for this user, and fresh (Bearer requests pass)."""
    state = request.scope.get("state", {})
    if state.get("bearer"):
        return
    access: Access = request.app.state.access
    if not access.csrf_valid(token, current_user(request)):
        raise Forbidden(
            "missing or expired CSRF token: reload the form and send it again "
            "(scripts: GET /csrf.json and send its token as the X-CSRF-Token header)"
        )


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never "//evil.example")."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/stories"
    return target
