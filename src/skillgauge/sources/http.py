"""The polite HTTP client every live source shares (see ``docs/http.md``).

Sources never talk to the network themselves: they call :meth:`HttpClient.get`, which implements
the :class:`~skillgauge.sources.base.Fetcher` protocol. Keeping every courtesy in one place means a
new source is polite by construction:

* retries with exponential backoff and full jitter on transient failures, honouring
  ``Retry-After``; a clear :class:`~skillgauge.exceptions.TransientSourceError` after the last one,
  and an immediate :class:`~skillgauge.exceptions.TerminalSourceError` when retrying cannot help;
* a per-host rate limit (a minimum interval between two requests to one host);
* robots.txt for web pages (``get(..., robots=True)``), fetched once per host;
* an identifying User-Agent;
* an on-disk RFC 9111 cache (hishel) with ETag / Last-Modified revalidation;
* API keys redacted ("***") from every message, log line and :attr:`Response.url`.

The transport stack, outermost first::

    httpx.Client  ->  hishel CacheTransport (when cache_dir)  ->  _PoliteTransport  ->  transport

The rate limit and the body-length check sit *below* the cache, so answers served from the cache
cost no waiting and a truncated body is never stored.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import random
import re
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote, quote_plus, urlsplit

import httpx
from hishel import CacheOptions, SqliteStorage
from hishel.httpx import CacheTransport

from skillgauge import __version__
from skillgauge.exceptions import TerminalSourceError, TransientSourceError
from skillgauge.sources.base import Response

__all__ = [
    "DEFAULT_USER_AGENT",
    "HttpClient",
    "backoff_delay",
    "decode_json",
    "parse_retry_after",
    "redact",
]

log = logging.getLogger(__name__)

PROJECT_URL: Final = "https://github.com/skillgauge/skillgauge"
DEFAULT_USER_AGENT: Final = f"skillgauge/{__version__} (+{PROJECT_URL})"
#: the token robots.txt rules are matched against (``User-agent: skillgauge``)
ROBOTS_AGENT: Final = "skillgauge"
#: query parameters whose values are credentials, whatever the source
SECRET_PARAMS: Final = frozenset({"api_key", "apikey", "app_key", "key", "token", "access_token"})
#: statuses worth retrying: rate limiting and the gateway/overload family
RETRYABLE_STATUSES: Final = frozenset({408, 425, 429, 500, 502, 503, 504})
#: statuses whose body is empty by definition, so Content-Length says nothing about what was read
_NO_BODY_STATUSES: Final = frozenset({204, 304})
MASK: Final = "***"
CACHE_FILE: Final = "http-cache.sqlite"

_SECRET_PARAM_RE = re.compile(
    r"([?&;](?:" + "|".join(sorted(SECRET_PARAMS)) + r")=)[^&#;\s\"'<>]*", re.IGNORECASE
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret (raw or URL-encoded) and every key-like query value masked.

    Applied to every message, log line and URL the client produces, so a key cannot leak into an
    exception that ends up in a terminal, a log file or a bug report.
    """
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, MASK)
    return _SECRET_PARAM_RE.sub(rf"\g<1>{MASK}", text)


def parse_retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None.

    A date in the past means "now" (0.0); an unparseable value is ignored (None) rather than
    trusted, and the normal backoff applies.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; be lenient with ones that omit it
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(
    retry: int, *, base: float, cap: float, rng: Callable[[], float] = random.random
) -> float:
    """Full-jitter exponential backoff: uniform in ``[0, min(cap, base * 2**retry))``.

    ``retry`` counts from 0 (the wait before the first retry). Full jitter spreads the clients that
    failed together over the whole window, which is what stops them from failing together again.
    """
    return rng() * min(cap, base * 2.0**retry)


def decode_json(body: bytes, *, source: str, url: str) -> Any:
    """Parse a JSON body, or raise :class:`TerminalSourceError` naming the source and the URL.

    A 200 with a body that is not JSON (an HTML error page, a cut-off document) is the service's
    fault, not a transient one: retrying the same request returns the same page.
    """
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = body[:60].decode("utf-8", "replace")
        raise TerminalSourceError(
            source,
            f"malformed JSON from {redact(url)} ({exc}; starts {start!r}): "
            "the API may have changed or returned an error page",
        ) from exc


def _with_params(url: str, params: Mapping[str, str | int] | None) -> str:
    """``url`` with ``params`` added to (not replacing) the query string it already has."""
    if not params:
        return url
    return str(httpx.URL(url).copy_merge_params({k: str(v) for k, v in params.items()}))


class _HostRateLimiter:
    """The minimum interval between two requests to one host (``1 / rate`` seconds).

    Time comes from the injected ``clock`` and waiting goes through the injected ``sleep``, so a test
    can check the spacing without waiting for it.
    """

    def __init__(
        self, interval: float, sleep: Callable[[float], None], clock: Callable[[], float]
    ) -> None:
        self.interval = interval
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}
        self._extra: dict[str, float] = {}  # larger intervals asked for (robots.txt Crawl-delay)
        self._lock = threading.Lock()

    def slow_down(self, host: str, interval: float) -> None:
        """Use at least ``interval`` seconds between requests to ``host`` from now on."""
        with self._lock:
            self._extra[host] = max(interval, self._extra.get(host, 0.0))

    def wait(self, host: str) -> None:
        with self._lock:
            interval = max(self.interval, self._extra.get(host, 0.0))
            last = self._last.get(host)
            if last is not None:
                remaining = last + interval - self._clock()
                if remaining > 0:
                    self._sleep(remaining)
            self._last[host] = self._clock()


class _PoliteTransport(httpx.BaseTransport):
    """Spaces requests per host and reads each body fully, checking it against Content-Length.

    A body shorter than its Content-Length (a dropped connection the transport did not notice, or a
    test's MockTransport) raises ``httpx.RemoteProtocolError``, a transient error, before the cache
    above can store it.
    """

    def __init__(self, inner: httpx.BaseTransport, limiter: _HostRateLimiter) -> None:
        self._inner = inner
        self._limiter = limiter

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._limiter.wait(request.url.host)
        response = self._inner.handle_request(request)
        in_memory = response.is_stream_consumed  # built with content=... (MockTransport)
        try:
            response.read()  # a real connection dropped mid-body raises RemoteProtocolError here
        finally:
            response.close()
        received: int | None = response.num_bytes_downloaded  # on the wire, before decoding
        if in_memory:  # nothing was counted; the decoded length is comparable only if unencoded
            encoded = "content-encoding" in response.headers
            received = None if encoded else len(response.content)
        expected = response.headers.get("content-length", "").strip()
        if (
            request.method != "HEAD"
            and response.status_code not in _NO_BODY_STATUSES
            and received is not None
            and expected.isdigit()
            and int(expected) != received
        ):
            raise httpx.RemoteProtocolError(
                f"incomplete body: received {received} of {expected} bytes", request=request
            )
        # The body is decoded now, so the headers must stop announcing an encoding.
        headers = response.headers.copy()
        if "content-encoding" in headers:
            del headers["content-encoding"]
            headers["content-length"] = str(len(response.content))
        return httpx.Response(
            response.status_code,
            headers=headers,
            content=response.content,
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


class HttpClient:
    """The shared, polite HTTP client (implements :class:`~skillgauge.sources.base.Fetcher`).

    ``rate`` is requests per second per host (``math.inf`` for no limit); ``max_retries`` retries
    follow the first attempt; ``backoff``/``max_backoff`` shape the wait (see :func:`backoff_delay`);
    ``secrets`` are masked everywhere; ``transport`` replaces the network (tests pass an
    ``httpx.MockTransport``); ``sleep``/``clock``/``rng`` make waiting and jitter testable.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        cache_dir: Path | None = None,
        user_agent: str | None = None,
        rate: float = 1.0,
        max_retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 60.0,
        timeout: float = 30.0,
        respect_robots: bool = True,
        secrets: Sequence[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if not rate > 0:
            raise ValueError(
                f"rate must be > 0 requests per second (math.inf for none), got {rate}"
            )
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.respect_robots = respect_robots
        self.secrets: tuple[str, ...] = tuple(s for s in secrets if s)
        self._sleep = sleep
        self._rng = rng
        self._limiter = _HostRateLimiter(1.0 / rate, sleep, clock)
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

        # trust_env=False: proxies from the environment would be mounted *beside* this stack and
        # bypass the rate limit and the cache. Pass transport=httpx.HTTPTransport(proxy=...) instead.
        inner = transport if transport is not None else httpx.HTTPTransport(retries=0)
        stack: httpx.BaseTransport = _PoliteTransport(inner, self._limiter)
        self._storage: SqliteStorage | None = None
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._storage = SqliteStorage(database_path=cache_dir / CACHE_FILE)
            # A private cache: one user's client, so responses to keyed requests may be kept.
            stack = CacheTransport(stack, storage=self._storage, rfc=CacheOptions(shared=False))
        self._client = httpx.Client(
            transport=stack,
            headers={"User-Agent": self.user_agent},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            trust_env=False,
        )

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections and the cache database."""
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the Fetcher protocol ------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        robots: bool = False,
    ) -> Response:
        """GET ``url`` and return its 2xx response, or raise a ``SourceError`` naming ``source``.

        ``robots=True`` (for HTML pages; JSON APIs documented for programmatic use need not) first
        checks robots.txt and raises ``TerminalSourceError`` when the URL is disallowed.
        """
        secrets = self._call_secrets(params)
        try:
            full_url = _with_params(url, params)
        except httpx.InvalidURL as exc:
            raise TerminalSourceError(
                source, f"cannot request {redact(url, secrets)}: {exc}"
            ) from exc
        shown = redact(full_url, secrets)
        if robots and self.respect_robots and not self.allowed(full_url, source=source):
            raise TerminalSourceError(
                source,
                f"disallowed by robots.txt: {shown} (the site asks robots not to fetch it; "
                "use its API or skip this page)",
            )
        response = self._send(full_url, source=source, headers=headers, secrets=secrets)
        status = response.status_code
        final_url = redact(str(response.url), secrets)
        if not 200 <= status < 300:
            raise TerminalSourceError(
                source, self._terminal_message(status, final_url, source, headers, secrets)
            )
        caching = response.extensions.get("caching") or {}
        return Response(
            url=final_url,
            status=status,
            headers=dict(response.headers.items()),
            body=response.content,
            from_cache=bool(caching.get("from_cache", False)),
        )

    # -- robots.txt ------------------------------------------------------------------------------

    def allowed(self, url: str, *, source: str = "robots.txt") -> bool:
        """Whether robots.txt lets skillgauge fetch ``url`` (fetched once per host, then kept).

        A missing robots.txt (404 and other 4xx) allows everything; 401/403 disallow everything (the
        site keeps its rules private, so assume the strictest); a server error or an unreachable
        host raises ``TransientSourceError`` and is not remembered, so the next call asks again.
        """
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = self._load_robots(origin, source)
            self._robots[origin] = parser
        return parser.can_fetch(ROBOTS_AGENT, url)

    def _load_robots(self, origin: str, source: str) -> urllib.robotparser.RobotFileParser:
        robots_url = f"{origin}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        response = self._send(robots_url, source=source, headers=None, secrets=())
        status = response.status_code
        if status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
        elif 400 <= status < 500:
            parser.parse([])  # no rules: everything allowed
        elif 200 <= status < 300:
            parser.parse(response.content.decode("utf-8", "replace").splitlines())
            delay = parser.crawl_delay(ROBOTS_AGENT)
            if delay is not None:
                self._limiter.slow_down(urlsplit(origin).hostname or "", float(delay))
        else:
            raise TransientSourceError(source, f"robots.txt at {robots_url} answered HTTP {status}")
        return parser

    # -- internals -------------------------------------------------------------------------------

    def _call_secrets(self, params: Mapping[str, str | int] | None) -> tuple[str, ...]:
        """The client's secrets plus this call's key-like query parameter values."""
        extra = [str(v) for k, v in (params or {}).items() if k.lower() in SECRET_PARAMS]
        return (*self.secrets, *(v for v in extra if v))

    def _send(
        self,
        url: str,
        *,
        source: str,
        headers: Mapping[str, str] | None,
        secrets: Sequence[str],
    ) -> httpx.Response:
        """One request with retries; returns the first non-retryable response.

        Raises ``TransientSourceError`` once the retries are spent and ``TerminalSourceError`` for
        requests that cannot succeed (a malformed URL, a redirect loop).
        """
        shown = redact(url, secrets)
        attempts = self.max_retries + 1
        problem = ""
        for attempt in range(attempts):
            retry_after: float | None = None
            try:
                response = self._client.get(url, headers=headers)
            except (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL) as exc:
                raise TerminalSourceError(
                    source, f"cannot request {shown}: {redact(str(exc), secrets)}"
                ) from exc
            except httpx.TooManyRedirects as exc:
                raise TerminalSourceError(
                    source, f"too many redirects from {shown}: check the URL or board name"
                ) from exc
            except httpx.TimeoutException as exc:
                problem = f"timed out ({type(exc).__name__})"
            except (httpx.TransportError, httpx.DecodingError) as exc:
                detail = redact(str(exc), secrets) or type(exc).__name__
                problem = f"connection failed ({detail})"
            else:
                if response.status_code not in RETRYABLE_STATUSES:
                    return response
                problem = f"HTTP {response.status_code}"
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if retry_after is not None:
                    problem += f" (Retry-After {response.headers['retry-after']})"
            if attempt == attempts - 1:
                break
            if retry_after is not None:
                delay = min(retry_after, self.max_backoff)
            else:
                delay = backoff_delay(
                    attempt, base=self.backoff, cap=self.max_backoff, rng=self._rng
                )
            log.warning(
                "%s: %s from %s (attempt %d of %d); retrying in %.2f s",
                source,
                problem,
                shown,
                attempt + 1,
                attempts,
                delay,
            )
            self._sleep(delay)
        raise TransientSourceError(
            source,
            f"{problem} from {shown} after {attempts} attempt{'s' if attempts > 1 else ''}: "
            "the service is down, overloaded or rate-limiting; try again later"
            + (" (or lower the request rate)" if "429" in problem else ""),
        )

    def _terminal_message(
        self,
        status: int,
        url: str,
        source: str,
        headers: Mapping[str, str] | None,
        secrets: Sequence[str],
    ) -> str:
        env = f"SKILLGAUGE_{re.sub(r'[^A-Z0-9]+', '_', source.upper())}_KEY"
        keyed = bool(secrets) or any(k.lower() == "authorization" for k in headers or {})
        if status == 404:
            return f"board or page not found: check the board name ({url}, HTTP 404)"
        if status in (401, 403) and keyed:
            return f"the API key was refused: check {env} ({url}, HTTP {status})"
        if status in (401, 403):
            return (
                f"access refused ({url}, HTTP {status}): the service may need an API key "
                f"({env}) or blocks automated clients"
            )
        if 400 <= status < 500:
            return f"the request was rejected ({url}, HTTP {status}): check the source's settings"
        return f"unexpected HTTP {status} from {url}: retrying will not help; report it if it lasts"
