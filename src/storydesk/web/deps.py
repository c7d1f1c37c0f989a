"""Dependencies every router shares, declared once: the store, settings, paging, rendering.

A page and its JSON twin share one handler: the handler returns the page's
data as a dict and `render` turns it into JSON (for `*.json` paths) or into
the named template.
"""

from __future__ import annotations

import queue
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.datastructures import FormData

from storydesk.compare.findings import compared_with_none, count_phrase, english, reported, side_words
from storydesk.display import when
from storydesk.settings import Settings
from storydesk.store import Store, is_url, open_store


class StorePool:
    """Connections to one store file, one per request at a time.

    SQLite in WAL mode lets readers run side by side, but only on separate
    connections; a pool hands each request its own and takes it back after.
    A store given ready-made (an in-memory store in tests) is shared instead,
    and so is a PostgreSQL store, which pools its own connections.
    """

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self.shared = store
        self.idle: queue.SimpleQueue[Store] = queue.SimpleQueue()
        self.opened: list[Store] = []
        if store is None and is_url(settings.db):
            self.shared = open_store(settings.db)
            self.opened.append(self.shared)

    def acquire(self) -> Store:
        if self.shared is not None:
            return self.shared
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            store = open_store(self.settings.db)
            self.opened.append(store)
            return store

    def release(self, store: Store) -> None:
        if store is not self.shared:
            self.idle.put(store)

    def close(self) -> None:
        for store in self.opened:
            store.close()
        self.opened.clear()


# The dependencies are async so FastAPI calls them on the event loop: a sync
# one costs a hop to the thread pool and back (two for a generator) per request,
# a third of the server's CPU on a cached or a small page. Neither blocks.
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> AsyncIterator[Store]:
    pool: StorePool = request.app.state.pool
    store = pool.acquire()
    try:
        yield store
    finally:
        pool.release(store)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


@dataclass(slots=True)
class Page:
    limit: int
    offset: int

    def envelope(self, items: list[Any], total: int) -> dict[str, Any]:
        """The paging fields every list in the JSON carries."""
        return {"total": total, "limit": self.limit, "offset": self.offset, "items": items}


async def get_page(
    request: Request,
    limit: Annotated[int | None, Query(ge=1, description="Items per page (default: settings.web.page_size).")] = None,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Page:
    web = request.app.state.settings.web
    if limit is not None and limit > web.max_page_size:
        from storydesk.web.errors import BadInput

        raise BadInput(f"limit is at most {web.max_page_size}")
    return Page(limit=limit or web.page_size, offset=offset)


PageDep = Annotated[Page, Depends(get_page)]

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
MAX_FILES = 200  # per request; more is a batch job for the CLI


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_form(request: Request) -> FormData:
    """The request's form, parsed once (Starlette keeps it), within settings.web.max_upload_bytes.

    The size is checked from Content-Length before anything is read, and a form
    without one is refused: the parser spools files before they could be counted.
    """
    from storydesk.web.errors import LengthRequired, TooLarge

    limit = request.app.state.settings.web.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"upload is {int(declared):,} bytes; the limit is {limit:,}")
    if not declared:
        raise LengthRequired("a form upload needs a Content-Length header")
    return await request.form(max_files=MAX_FILES, max_part_size=limit)


async def require_csrf(request: Request) -> AsyncIterator[None]:
    """Every write route's dependency: a valid CSRF token in the X-CSRF-Token header or the csrf_token field.

    A form it parses stays parsed for the route (Starlette keeps it) and is
    closed, with its spooled files, when the request is done.
    """
    from storydesk.web.security import CSRF_FIELD, CSRF_HEADER, verify_csrf

    form: FormData | None = None
    try:
        token = request.headers.get(CSRF_HEADER)
        if token is None and content_type(request) in FORM_TYPES:
            form = await read_form(request)
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
        verify_csrf(request, token)
        yield
    finally:
        if form is None and content_type(request) in FORM_TYPES:
            form = getattr(request, "_form", None)  # parsed by the route after a header token
        if form is not None:
            await form.close()


CSRFDep = Depends(require_csrf)


def make_templates() -> Environment:
    """Jinja2 with autoescape on for every template: article text is untrusted."""
    env = Environment(
        loader=PackageLoader("storydesk.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["with_query"] = with_query
    env.globals["csrf_token"] = csrf_token
    env.globals["can_write"] = can_write
    env.globals["json_url"] = json_url
    env.filters["snippet"] = snippet
    env.filters["when"] = when
    env.filters["cite"] = cite
    env.filters["badge"] = badge
    env.filters["compared_with_none"] = compared_with_none
    env.filters["matrix_rows"] = matrix_rows
    env.filters["finding_items"] = finding_items
    env.filters["actor_items"] = actor_items
    env.filters["story_rows"] = story_rows
    env.filters["actor_quote_items"] = actor_quote_items
    env.filters["disagreement_items"] = disagreement_items
    return env


# The two helpers below run hundreds of times on a big story page; as Python
# filters they cost a fraction of the same thing written as Jinja macros.
def cite(article_ids: list[str], numbers: dict[str, int]) -> Markup:
    """Citation links "[1][2]" to the articles a statement comes from, numbered as on the page."""
    links = []
    for article_id in article_ids:
        safe = escape(article_id)
        links.append(
            f'<a class="cite" href="/articles/{safe}" title="article {safe}">[{numbers.get(article_id, "?")}]</a>'
        )
    return Markup("".join(links))


# "one_outlet": a statement of an event with one outlet, compared with none (templates/story.html).
BADGE_LABELS = {
    "corroborated": "corroborated",
    "single_source": "single source",
    "one_outlet": "one outlet",
    "conflict": "conflict",
}


def badge(status: str) -> Markup:
    return Markup(f'<span class="badge {escape(status)}">{escape(BADGE_LABELS.get(status, status))}</span>')


def matrix_rows(rows: list[dict[str, Any]], outlets: list[str], single: str = "single_source") -> Markup:
    """The source matrix's body rows: one per statement, a cell per outlet (✓, or the conflict side's letter).
    `single`: the status a single-source row is badged with ("one_outlet" in an event of one outlet).

    Rows x outlets cells are most of a story page; written here rather than as a
    Jinja loop they take a fraction of the time. Every value is escaped.
    """
    heads = [(escape(o), o) for o in outlets]
    out = []
    for row in rows:
        status = single if row["status"] == "single_source" else row["status"]
        cells = row["cells"]
        out.append(f'<tr class="{escape(status)}"><td>{badge(status)} {escape(row["statement"])}</td>')
        for safe, outlet in heads:
            cell = cells.get(outlet)
            if cell:
                mark = "✓" if cell == "reports" else escape(cell.replace("side ", ""))
                out.append(f'<td class="cell on" title="{safe}: {escape(cell)}">{mark}</td>')
            else:
                out.append(f'<td class="cell" title="{safe}: not reported"></td>')
        out.append("</tr>")
    return Markup("\n".join(out))


def finding_items(items: list[Any], status: str, numbers: dict[str, int]) -> Markup:
    """Findings as cards: how many independent outlets carry the statement, then each article's own
    words with its outlet and citation (issue 10/11: never one outlet's wording cited to several),
    in quotation marks only for direct and partial quotes. Every value is escaped."""
    status_safe = escape(status)
    out = []
    for f in items:
        sides = []
        for side in f.sides:
            copy = side.article in f.copies
            note = ' <span class="meta">(a copy, counted once)</span>' if copy else ""
            sides.append(
                f'<li class="side{" copy" if copy else ""}"><strong class="outlet">'
                f"{escape(side.outlet or 'unknown outlet')}</strong>{note} "
                f'<span class="words">{escape(side_words(side))}</span> {cite([side.article], numbers)}</li>'
            )
        if not sides:  # a finding stored without its sides: its summary and citations
            sides.append(f'<li class="side">{escape(f.summary)} {cite(f.articles, numbers)}</li>')
        head = {"corroborated": count_phrase(f), "one_outlet": "the event's one outlet"}.get(
            status, "only this outlet reports it"
        )
        out.append(
            f'<div class="finding {status_safe}"><div class="finding-head">{escape(f.kind)} · {escape(head)}</div>'
            f'<ul class="finding-sides">{"".join(sides)}</ul></div>'
        )
    return Markup("\n".join(out))


# What a name stands for, said beside it when two of a story's entities share the name: "India" the
# place and "India" the people or government ("Indian officials", a nationality read as its country).
_KIND_WORD = {"place": "place", "group": "people", "organization": "organisation", "person": "person"}


def actor_items(actors: list[dict[str, Any]]) -> Markup:
    """A story's actors as list items linking to their pages, with their article counts; a name's other
    entities (views.py `story_actors`: one row per name) as small links after it. Every value is escaped."""

    def kind(a: dict[str, Any]) -> str:
        also = [
            f'<a href="/actors/{escape(o["id"])}">{escape(_KIND_WORD.get(o["type"], o["type"]))}</a>'
            for o in a.get("also") or []
        ]
        return f' <span class="meta">(also as {", ".join(also)})</span>' if also else ""

    return Markup(
        "\n".join(
            f'<li><a class="actor-link {escape(a["type"])}" href="/actors/{escape(a["id"])}">{escape(a["name"])}</a>'
            f' <span class="count" title="articles in this story">{escape(a["articles"])}</span>{kind(a)}</li>'
            for a in actors
        )
    )


# The list pages' rows, written in Python like the story page's matrix: a Jinja
# loop over fifty rows cost as much as the rest of the page. Every value is escaped.
def story_rows(items: list[dict[str, Any]]) -> Markup:
    """The stories list's table rows."""
    out = []
    for s in items:
        first = (s["first_published"] or "")[:10]
        last = (s["last_published"] or "")[:10]
        days = escape(first) + (f" – {escape(last)}" if last and last != first else "")
        if not first and s.get("first_day"):  # no article dated: the event's days (issue 10)
            first, last = s["first_day"], s.get("last_day") or s["first_day"]
            days = escape(first) + (f" – {escape(last)}" if last != first else "")
            if s.get("day_source") == "mentioned":
                days += Markup(' <span class="meta" title="the day its articles mention most">(mentioned)</span>')
        conflicts = f'<span class="badge conflict">{escape(s["conflicts"])}</span>' if s["conflicts"] else "0"
        out.append(
            f'<tr><td><a class="story-link" href="/stories/{escape(s["id"])}">{escape(s["title"] or "(untitled story)")}</a></td>'
            f'<td class="nowrap">{days}</td><td>{escape(", ".join(s["outlets"]))}</td>'
            f'<td class="num">{escape(s["articles"])}</td><td class="num">{escape(s["corroborated"])}</td>'
            f'<td class="num">{escape(s["single_source"])}</td><td class="num">{conflicts}</td></tr>'
        )
    return Markup("\n".join(out))


def actor_quote_items(quotes: list[dict[str, Any]], name: str) -> Markup:
    """An actor page's quotes: the words, then outlet, date, cue, how the article named them, kind, a link."""
    out = []
    for q in quotes:
        parts: list[str] = [str(escape(q["outlet"])) + (f", {escape(q['published'][:10])}" if q["published"] else "")]
        if q["cue"]:
            parts.append(str(escape(q["cue"])))
        if q["speaker_text"] and q["speaker_text"] != name:
            parts.append(f"as “{escape(q['speaker_text'])}”")
        parts += [str(escape(q["kind"])), f'<a href="/articles/{escape(q["article"])}">article</a>']
        # Quotation marks only for words the article quotes; reported speech is shown as such, joined by
        # "that" in English only ("India beschuldigte that die Täter ..." joined two languages, round 15).
        if q["kind"] != "indirect":
            words = f"<q>{escape(q['text'])}</q>"
        elif english(q.get("language")):
            words = (
                f'<span class="reported">{escape(name)} {escape(q["cue"] or "said")} that {escape(q["text"])}</span>'
            )
        else:
            words = f'<span class="reported">{escape(reported(name, q["text"], "indirect", language=q.get("language")))}</span>'

        out.append(f'<blockquote class="actor-quote">{words}<footer>{" · ".join(parts)}</footer></blockquote>')
    return Markup("\n".join(out))


def disagreement_items(items: list[dict[str, Any]]) -> Markup:
    """An actor page's conflicts: kind and summary, the story, each side's outlet, words and speaker."""
    out = []
    for d in items:
        sides = "".join(
            f"<li><strong>{escape(s['outlet'])}</strong>: “{escape(s['text'])}”"
            + (f" — {escape(s['speaker'])}" if s["speaker"] else "")
            + f' <a class="cite" href="/articles/{escape(s["article"])}">article</a></li>'
            for s in d["sides"]
        )
        out.append(
            f'<article class="conflict-card"><h3><span class="kind">{escape(d["kind"].replace("_", " "))}</span> '
            f'{escape(d["summary"])}</h3><p class="meta">in <a href="/stories/{escape(d["story"])}">'
            f'{escape(d["story_title"])}</a></p><ul class="sides-list">{sides}</ul></article>'
        )
    return Markup("\n".join(out))


_SNIPPET_MATCH = re.compile(r"\[([^\[\]]*)\]")


def snippet(text: str) -> Markup:
    """A search snippet with the store's [match] markers as <mark>; the text is escaped first."""
    return Markup(_SNIPPET_MATCH.sub(r"<mark>\1</mark>", str(escape(text))))


def with_query(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one): pager and filter links."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def csrf_token(request: Request) -> str:
    """A CSRF token for a form on this page (templates: `{{ csrf_token(request) }}`)."""
    from storydesk.web.security import csrf_token_for

    return csrf_token_for(request)


def can_write(request: Request) -> bool:
    """Whether the server has write routes (not --read-only): the nav shows Ingest only then."""
    return not request.app.state.settings.web.read_only


def json_url(request: Request) -> str:
    """The JSON twin of this page."""
    query = request.url.query
    return request.url.path + ".json" + (f"?{query}" if query else "")


def wants_json(request: Request) -> bool:
    return request.url.path.endswith(".json")


def _json_default(value: Any) -> Any:
    """Sets as sorted lists: the one kind of value in a page's data that orjson does not write itself."""
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class RecordJSONResponse(JSONResponse):
    """JSON that may contain records.

    orjson writes dataclasses (the records) natively, in C: a story's JSON is
    about five times faster to write than with the standard library walking
    each record through a `default` callback.
    """

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_json_default, option=orjson.OPT_NON_STR_KEYS)


def prefers_html(request: Request) -> bool:
    """A browser asks for HTML; API clients (curl, httpx, scripts) do not."""
    return "text/html" in request.headers.get("accept", "")


def render(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    extra: dict[str, Any] | None = None,
    as_json: bool | None = None,
) -> Response:
    """JSON for `*.json` paths (or when `as_json`), else the template with `data` (and HTML-only `extra`)."""
    if wants_json(request) if as_json is None else as_json:
        return RecordJSONResponse(data)
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(request=request, **data, **(extra or {}))
    return HTMLResponse(html)
