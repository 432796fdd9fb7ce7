"""The polite HTTP client: retries, Retry-After, backoff, terminal errors, rate limit, robots.txt,
cache revalidation, User-Agent and secret redaction.

Two layers: ``httpx.MockTransport`` handlers (exact control, fake time) and a real local server on
127.0.0.1 (``localserver.py``) for what only a socket shows: timeouts, truncated bodies, 304s.
No test touches the internet, and no test waits for a backoff: ``sleep`` only records.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import itertools
import logging
import math
import random
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from skillgauge.exceptions import TerminalSourceError, TransientSourceError
from skillgauge.sources.base import Fetcher
from skillgauge.sources.http import (
    DEFAULT_USER_AGENT,
    HttpClient,
    backoff_delay,
    decode_json,
    parse_retry_after,
    redact,
)
from tests.sources.localserver import ETAG, LocalServer, local_server

__all__ = ["local_server"]  # the fixture, imported so pytest finds it

Handler = Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """A clock that only moves when the client sleeps; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def client(handler: Handler, fake: FakeTime | None = None, **kwargs: object) -> HttpClient:
    fake = fake or FakeTime()
    options: dict[str, object] = {"rate": math.inf, "sleep": fake.sleep, "clock": fake.clock}
    options.update(kwargs)
    return HttpClient(transport=httpx.MockTransport(handler), **options)  # type: ignore[arg-type]


def snapshot(request: httpx.Request) -> httpx.Request:
    """A copy of the request as sent (the cache restores the caller's headers afterwards)."""
    return httpx.Request(request.method, request.url, headers=request.headers.copy())


def scripted(*responses: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    """A handler answering with ``responses`` in order (the last one repeats), recording requests."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(snapshot(request))
        answer = responses[min(len(seen), len(responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler, seen


OK = httpx.Response(200, json={"jobs": []})


def test_client_is_a_fetcher() -> None:
    fetcher: Fetcher = client(scripted(OK)[0])
    assert fetcher.get("https://api.example.com/x", source="demo").status == 200


# -- retries -----------------------------------------------------------------------------------


def test_retries_transient_statuses_then_succeeds() -> None:
    handler, seen = scripted(
        httpx.Response(503), httpx.Response(502), httpx.Response(500), httpx.Response(504), OK
    )
    fake = FakeTime()
    with client(handler, fake) as http:
        response = http.get("https://api.example.com/jobs", source="demo")
    assert response.status == 200 and response.body == b'{"jobs":[]}'
    assert len(seen) == 5 and len(fake.sleeps) == 4
    assert not response.from_cache


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.RemoteProtocolError("peer closed connection"),
        httpx.ReadError("connection reset by peer"),
    ],
)
def test_retries_network_failures(error: Exception) -> None:
    handler, seen = scripted(error, OK)
    fake = FakeTime()
    response = client(handler, fake).get("https://api.example.com/jobs", source="demo")
    assert response.status == 200 and len(seen) == 2 and len(fake.sleeps) == 1


def test_truncated_body_is_transient() -> None:
    short = httpx.Response(200, headers={"Content-Length": "500"}, content=b'{"jobs": [')
    handler, seen = scripted(short, OK)
    response = client(handler).get("https://api.example.com/jobs", source="demo")
    assert response.body == b'{"jobs":[]}' and len(seen) == 2


def test_gives_up_after_max_retries_naming_url_and_what_to_do() -> None:
    handler, seen = scripted(httpx.Response(503))
    fake = FakeTime()
    with pytest.raises(TransientSourceError) as caught:
        client(handler, fake, max_retries=3).get("https://api.example.com/jobs", source="remotive")
    message = str(caught.value)
    assert caught.value.source == "remotive" and message.startswith("remotive: ")
    assert "HTTP 503" in message and "https://api.example.com/jobs" in message
    assert "4 attempts" in message and "try again later" in message
    assert len(seen) == 4 and len(fake.sleeps) == 3  # no pointless sleep after the last attempt


def test_no_retries_when_max_retries_is_zero() -> None:
    handler, seen = scripted(httpx.Response(500))
    fake = FakeTime()
    with pytest.raises(TransientSourceError, match="after 1 attempt:"):
        client(handler, fake, max_retries=0).get("https://api.example.com/", source="demo")
    assert len(seen) == 1 and fake.sleeps == []


# -- Retry-After and backoff -------------------------------------------------------------------


def test_retry_after_seconds_is_honoured() -> None:
    handler, _ = scripted(httpx.Response(429, headers={"Retry-After": "7"}), OK)
    fake = FakeTime()
    client(handler, fake).get("https://api.example.com/jobs", source="demo")
    assert fake.sleeps == [7.0]


def test_retry_after_http_date_is_honoured() -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)
    header = email.utils.format_datetime(when, usegmt=True)
    handler, _ = scripted(httpx.Response(503, headers={"Retry-After": header}), OK)
    fake = FakeTime()
    client(handler, fake).get("https://api.example.com/jobs", source="demo")
    assert len(fake.sleeps) == 1
    assert 27.0 < fake.sleeps[0] <= 30.0  # the date has one-second resolution


def test_retry_after_is_capped_by_max_backoff() -> None:
    handler, _ = scripted(httpx.Response(429, headers={"Retry-After": "3600"}), OK)
    fake = FakeTime()
    client(handler, fake, max_backoff=10.0).get("https://api.example.com/", source="demo")
    assert fake.sleeps == [10.0]


def test_unparseable_retry_after_falls_back_to_backoff() -> None:
    handler, _ = scripted(httpx.Response(429, headers={"Retry-After": "soon"}), OK)
    fake = FakeTime()
    client(handler, fake, backoff=0.5, rng=lambda: 0.5).get("https://api.example.com/", source="d")
    assert fake.sleeps == [0.25]


def test_backoff_grows_exponentially_up_to_the_cap() -> None:
    handler, _ = scripted(httpx.Response(503))
    fake = FakeTime()
    http = client(handler, fake, max_retries=7, backoff=0.5, max_backoff=8.0, rng=lambda: 1.0)
    with pytest.raises(TransientSourceError):
        http.get("https://api.example.com/", source="demo")
    assert fake.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_is_fully_jittered_within_bounds() -> None:
    rng = random.Random(20240601)
    for retry in range(10):
        cap = min(60.0, 0.5 * 2**retry)
        delays = [backoff_delay(retry, base=0.5, cap=60.0, rng=rng.random) for _ in range(200)]
        assert all(0.0 <= d < cap for d in delays)
        assert len(set(delays)) == 200  # jittered, not a fixed schedule
        assert min(delays) < cap * 0.25 and max(delays) > cap * 0.75  # spread over the window


def test_backoff_through_the_client_stays_in_bounds() -> None:
    handler, _ = scripted(httpx.Response(503))
    fake = FakeTime()
    http = client(handler, fake, max_retries=6, backoff=0.5, max_backoff=4.0)
    with pytest.raises(TransientSourceError):
        http.get("https://api.example.com/", source="demo")
    assert len(fake.sleeps) == 6
    for retry, slept in enumerate(fake.sleeps):
        assert 0.0 <= slept < min(4.0, 0.5 * 2**retry)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", 120.0), ("0", 0.0), (" 5 ", 5.0), ("", None), (None, None), ("-3", None), ("x", None)],
)
def test_parse_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_dates() -> None:
    now = dt.datetime(2015, 10, 21, 7, 28, 0, tzinfo=dt.UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:30:30 GMT", now=now) == 150.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now=now) == 0.0  # past: go now


# -- terminal errors ---------------------------------------------------------------------------


def test_404_fails_at_once_naming_the_source() -> None:
    handler, seen = scripted(httpx.Response(404))
    fake = FakeTime()
    with pytest.raises(TerminalSourceError) as caught:
        client(handler, fake).get(
            "https://boards-api.greenhouse.io/v1/boards/nope/jobs", source="greenhouse"
        )
    assert str(caught.value).startswith("greenhouse: board or page not found: check the board name")
    assert "/boards/nope/jobs" in str(caught.value)
    assert len(seen) == 1 and fake.sleeps == []


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key_fails_at_once_naming_the_setting(status: int) -> None:
    handler, seen = scripted(httpx.Response(status))
    http = client(handler, secrets=["s3cr3t-key"])
    with pytest.raises(TerminalSourceError) as caught:
        http.get("https://www.themuse.com/api/public/jobs", source="themuse",
                 params={"page": 1, "api_key": "s3cr3t-key"})  # fmt: skip
    message = str(caught.value)
    assert message.startswith("themuse: the API key was refused: check SKILLGAUGE_THEMUSE_KEY")
    assert "s3cr3t-key" not in message and "api_key=***" in message
    assert len(seen) == 1


def test_403_without_a_key_says_access_was_refused() -> None:
    handler, _ = scripted(httpx.Response(403))
    with pytest.raises(
        TerminalSourceError, match=r"remoteok: access refused .*SKILLGAUGE_REMOTEOK_KEY"
    ):
        client(handler).get("https://remoteok.com/api", source="remoteok")


@pytest.mark.parametrize("status", [400, 405, 410, 422])
def test_other_4xx_fail_at_once(status: int) -> None:
    handler, seen = scripted(httpx.Response(status))
    with pytest.raises(TerminalSourceError, match=f"HTTP {status}"):
        client(handler).get("https://api.example.com/", source="demo")
    assert len(seen) == 1


def test_unsupported_scheme_is_terminal() -> None:
    with pytest.raises(TerminalSourceError, match="cannot request"):
        HttpClient(rate=math.inf).get("ftp://example.com/jobs", source="demo")


def test_redirect_is_followed_and_final_url_reported() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://api.example.com/new"})
        return OK

    response = client(handler).get("https://api.example.com/old", source="demo")
    assert response.url == "https://api.example.com/new"


# -- rate limit --------------------------------------------------------------------------------


def test_rate_limit_spaces_requests_per_host() -> None:
    fake = FakeTime()
    times: list[tuple[str, float]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        times.append((request.url.host, fake.now))
        return OK

    http = client(handler, fake, rate=2.0)  # at most 2 per second per host: 0.5 s apart
    for url in ["https://a.example/1", "https://a.example/2", "https://b.example/1",
                "https://a.example/3", "https://b.example/2"]:  # fmt: skip
        http.get(url, source="demo")
    a = [t for host, t in times if host == "a.example"]
    b = [t for host, t in times if host == "b.example"]
    assert [round(y - x, 6) for x, y in itertools.pairwise(a)] == [0.5, 0.5]
    assert all(y - x >= 0.5 for x, y in itertools.pairwise(b))
    assert b[0] == a[1]  # another host is not held back by a.example's limit
    assert fake.sleeps == [0.5, 0.5]  # the second b request was already 0.5 s after the first


def test_rate_limit_applies_to_retries_too() -> None:
    fake = FakeTime()
    handler, _ = scripted(httpx.Response(503), OK)
    client(handler, fake, rate=1.0, rng=lambda: 0.2).get("https://a.example/", source="demo")
    assert fake.sleeps == pytest.approx([0.1, 0.9])  # backoff 0.1 s, then the rest of the 1 s


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate"):
        HttpClient(rate=0)


# -- secrets -----------------------------------------------------------------------------------


def test_secrets_are_redacted_in_errors_logs_and_urls(caplog: pytest.LogCaptureFixture) -> None:
    handler, _ = scripted(httpx.Response(503), OK)
    secret_in_path = "tok-path-999"
    url = f"https://api.example.com/v1/{secret_in_path}/jobs?app_key=appkey42&q=python"
    with caplog.at_level(logging.WARNING, logger="skillgauge.sources.http"):
        response = client(handler, secrets=[secret_in_path]).get(
            url, source="demo", params={"key": "k-77"}
        )
    for leaked in (secret_in_path, "appkey42", "k-77"):
        assert leaked not in response.url and leaked not in caplog.text
    assert response.url == "https://api.example.com/v1/***/jobs?app_key=***&q=python&key=***"
    assert "retrying" in caplog.text

    failing, _ = scripted(httpx.ConnectError(f"cannot connect to {url}"))
    with pytest.raises(TransientSourceError) as caught:
        client(failing, secrets=[secret_in_path], max_retries=1).get(url, source="demo")
    for leaked in (secret_in_path, "appkey42"):
        assert leaked not in str(caught.value)
    assert "***" in str(caught.value)


def test_redact_masks_encoded_forms_and_key_params() -> None:
    assert redact("x?key=abc&page=2&API_KEY=def") == "x?key=***&page=2&API_KEY=***"
    assert redact("a/b c+d/e%2Ff", ["b c+d/e"]) == "a/***%2Ff"  # plain form
    assert redact("q=b%20c%2Bd", ["b c+d"]) == "q=***"  # quoted form
    assert redact("q=b+c%2Bd", ["b c+d"]) == "q=***"  # quote_plus form
    assert redact("monkey=1&keyboard=2") == "monkey=1&keyboard=2"  # only whole names


# -- User-Agent and headers --------------------------------------------------------------------


def test_user_agent_names_project_and_url() -> None:
    handler, seen = scripted(OK)
    client(handler).get("https://api.example.com/", source="demo")
    ua = seen[0].headers["User-Agent"]
    assert ua == DEFAULT_USER_AGENT
    assert re.fullmatch(
        r"skillgauge/\d+\.\d+\S* \(\+https://github\.com/skillgauge/skillgauge\)", ua
    )


def test_custom_user_agent_and_call_headers_are_sent() -> None:
    handler, seen = scripted(OK)
    client(handler, user_agent="me/1").get(
        "https://api.example.com/", source="demo", headers={"X-Api-Version": "20240404"}
    )
    assert seen[0].headers["User-Agent"] == "me/1"
    assert seen[0].headers["X-Api-Version"] == "20240404"


def test_params_are_sent_and_headers_returned() -> None:
    handler, seen = scripted(httpx.Response(200, json=[], headers={"X-Total": "3"}))
    response = client(handler).get(
        "https://api.lever.co/v0/postings/acme?mode=json", source="lever", params={"skip": 100}
    )
    assert seen[0].url.params["mode"] == "json" and seen[0].url.params["skip"] == "100"
    assert response.headers["x-total"] == "3"


# -- robots.txt --------------------------------------------------------------------------------


def robots_site(robots: httpx.Response) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return robots
        return httpx.Response(200, html="<html></html>")

    return handler, seen


ROBOTS = httpx.Response(200, text="User-agent: *\nDisallow: /private\n\nUser-agent: skillgauge\n"
                        "Disallow: /no-skillgauge\nCrawl-delay: 5\n")  # fmt: skip


def test_robots_disallow_is_enforced_and_fetched_once_per_host() -> None:
    handler, seen = robots_site(ROBOTS)
    fake = FakeTime()
    http = client(handler, fake)
    assert http.allowed("https://site.example/jobs/1")
    assert not http.allowed("https://site.example/no-skillgauge/x")
    http.get("https://site.example/jobs/1", source="site", robots=True)
    with pytest.raises(TerminalSourceError, match=r"^site: disallowed by robots.txt"):
        http.get("https://site.example/no-skillgauge/2", source="site", robots=True)
    assert [r.url.path for r in seen].count("/robots.txt") == 1
    assert [r.url.path for r in seen] == ["/robots.txt", "/jobs/1"]  # the disallowed one never sent


def test_robots_crawl_delay_slows_the_host_down() -> None:
    handler, _ = robots_site(ROBOTS)
    fake = FakeTime()
    http = client(handler, fake, rate=10.0)
    http.get("https://site.example/a", source="site", robots=True)
    http.get("https://site.example/b", source="site", robots=True)
    assert fake.sleeps == [5.0, 5.0]  # robots.txt -> /a and /a -> /b: 5 s, not 1/rate


def test_robots_not_checked_unless_asked_or_when_disabled() -> None:
    handler, seen = robots_site(ROBOTS)
    http = client(handler)
    http.get("https://site.example/no-skillgauge/1", source="site")  # a JSON API call
    off = client(handler, respect_robots=False)
    off.get("https://site.example/no-skillgauge/1", source="site", robots=True)
    assert all(r.url.path != "/robots.txt" for r in seen)


@pytest.mark.parametrize(
    ("status", "allowed"), [(404, True), (410, True), (401, False), (403, False)]
)
def test_robots_missing_or_forbidden(status: int, allowed: bool) -> None:
    handler, _ = robots_site(httpx.Response(status))
    assert client(handler).allowed("https://site.example/page") is allowed


def test_robots_server_error_is_transient_and_not_remembered() -> None:
    handler, seen = robots_site(httpx.Response(503))
    http = client(handler, max_retries=1)
    for _ in range(2):
        with pytest.raises(TransientSourceError, match=r"robots\.txt"):
            http.allowed("https://site.example/page")
    assert len(seen) == 4  # asked again on the second call


# -- JSON bodies -------------------------------------------------------------------------------


def test_decode_json_failure_is_terminal_and_named() -> None:
    assert decode_json(b'{"a": 1}', source="demo", url="https://x/") == {"a": 1}
    with pytest.raises(
        TerminalSourceError, match=r"^demo: malformed JSON from https://x/\?key=\*\*\*"
    ):
        decode_json(b"<html>oops</html>", source="demo", url="https://x/?key=abc")


# -- cache (MockTransport) ---------------------------------------------------------------------


def test_cache_revalidates_with_last_modified(tmp_path: Path) -> None:
    stamp = "Wed, 21 Oct 2015 07:28:00 GMT"
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(snapshot(request))
        if request.headers.get("If-Modified-Since") == stamp:
            return httpx.Response(304, headers={"Last-Modified": stamp})
        return httpx.Response(
            200,
            json={"n": len(seen)},
            headers={"Last-Modified": stamp, "Cache-Control": "no-cache"},
        )

    with client(handler, cache_dir=tmp_path) as http:
        first = http.get("https://api.example.com/jobs", source="demo")
        second = http.get("https://api.example.com/jobs", source="demo")
    assert not first.from_cache and second.from_cache
    assert second.body == first.body == b'{"n":1}'
    assert seen[1].headers["If-Modified-Since"] == stamp


def test_cache_does_not_store_truncated_bodies(tmp_path: Path) -> None:
    short = httpx.Response(200, headers={"Content-Length": "99", "ETag": '"e"'}, content=b"{")
    full = httpx.Response(200, json={"ok": 1}, headers={"ETag": '"e"', "Cache-Control": "no-cache"})
    handler, seen = scripted(short, full, httpx.Response(304, headers={"ETag": '"e"'}))
    with client(handler, cache_dir=tmp_path) as http:
        assert http.get("https://api.example.com/", source="demo").body == b'{"ok":1}'
        again = http.get("https://api.example.com/", source="demo")
    assert again.from_cache and again.body == b'{"ok":1}'
    assert "If-None-Match" not in seen[1].headers and seen[2].headers["If-None-Match"] == '"e"'


def test_fresh_responses_are_served_without_a_request(tmp_path: Path) -> None:
    fresh = httpx.Response(200, json={"ok": 1}, headers={"Cache-Control": "max-age=3600"})
    handler, seen = scripted(fresh)
    with client(handler, cache_dir=tmp_path) as http:
        http.get("https://api.example.com/", source="demo")
        again = http.get("https://api.example.com/", source="demo")
    assert again.from_cache and again.body == b'{"ok":1}' and len(seen) == 1


def test_compressed_bodies_are_decoded_and_headers_follow() -> None:
    body = b'{"jobs": [1, 2, 3]}'
    packed = gzip.compress(body)
    handler, _ = scripted(
        httpx.Response(200, content=packed, headers={"Content-Encoding": "gzip"}), OK
    )
    response = client(handler).get("https://api.example.com/", source="demo")
    assert response.body == body
    assert "content-encoding" not in response.headers
    assert response.headers["content-length"] == str(len(body))


def test_errors_are_not_cached(tmp_path: Path) -> None:
    handler, seen = scripted(httpx.Response(404), OK)
    with client(handler, cache_dir=tmp_path) as http:
        with pytest.raises(TerminalSourceError):
            http.get("https://api.example.com/", source="demo")
        assert http.get("https://api.example.com/", source="demo").status == 200
    assert len(seen) == 2


# -- through a real socket ---------------------------------------------------------------------


def real(fake: FakeTime | None = None, **kwargs: object) -> HttpClient:
    """A client on the real network stack with recorded (not real) sleeps."""
    fake = fake or FakeTime()
    options: dict[str, object] = {"rate": math.inf, "sleep": fake.sleep, "timeout": 5.0}
    options.update(kwargs)
    return HttpClient(**options)  # type: ignore[arg-type]


def test_socket_ok(local_server: LocalServer) -> None:
    with real() as http:
        response = http.get(local_server.url("/ok"), source="local")
    assert decode_json(response.body, source="local", url=response.url) == {
        "ok": True, "path": "/ok", "hit": 1,
    }  # fmt: skip
    assert response.headers["content-type"] == "application/json"
    assert local_server.state.headers[0][1]["user-agent"] == DEFAULT_USER_AGENT


def test_socket_429_waits_retry_after_then_succeeds(local_server: LocalServer) -> None:
    fake = FakeTime()
    with real(fake) as http:
        response = http.get(local_server.url("/429?fail=2"), source="local")
    assert response.status == 200
    assert fake.sleeps == [1.0, 1.0]
    assert local_server.state.hits["/429"] == 3


def test_socket_429_gives_up_clearly(local_server: LocalServer) -> None:
    fake = FakeTime()
    with real(fake, max_retries=2) as http, pytest.raises(TransientSourceError) as caught:
        http.get(local_server.url("/429?fail=99"), source="local")
    assert "HTTP 429" in str(caught.value) and "lower the request rate" in str(caught.value)
    assert local_server.state.hits["/429"] == 3


def test_socket_500_then_ok(local_server: LocalServer) -> None:
    fake = FakeTime()
    with real(fake, backoff=0.01) as http:
        assert http.get(local_server.url("/500-then-ok"), source="local").status == 200
    assert local_server.state.hits["/500-then-ok"] == 3 and len(fake.sleeps) == 2


def test_socket_timeout_is_retried_then_fails(local_server: LocalServer) -> None:
    with real(timeout=0.2, max_retries=1) as http, pytest.raises(TransientSourceError) as caught:
        http.get(local_server.url("/slow"), source="local")
    assert "timed out" in str(caught.value) and "/slow" in str(caught.value)
    assert local_server.state.hits["/slow"] == 2


def test_socket_truncated_body_is_retried(local_server: LocalServer) -> None:
    with real() as http:
        response = http.get(local_server.url("/truncated?fail=1"), source="local")
    assert decode_json(response.body, source="local", url=response.url)["hit"] == 2


def test_socket_truncated_body_fails_clearly(local_server: LocalServer) -> None:
    with real(max_retries=2) as http, pytest.raises(TransientSourceError) as caught:
        http.get(local_server.url("/truncated?fail=99"), source="local")
    assert "connection failed" in str(caught.value) and "3 attempts" in str(caught.value)
    assert local_server.state.hits["/truncated"] == 3


def test_socket_malformed_json_fails_clearly(local_server: LocalServer) -> None:
    with real() as http:
        response = http.get(local_server.url("/malformed"), source="local")
    assert response.status == 200  # the transport did its job; the body is the service's fault
    with pytest.raises(TerminalSourceError, match=r"malformed JSON from http://127\.0\.0\.1"):
        decode_json(response.body, source="local", url=response.url)
    assert local_server.state.hits["/malformed"] == 1  # not retried


def test_socket_404_is_terminal(local_server: LocalServer) -> None:
    with real() as http, pytest.raises(TerminalSourceError, match="board or page not found"):
        http.get(local_server.url("/boards/unknown"), source="local")


def test_socket_etag_revalidation_serves_from_cache(
    local_server: LocalServer, tmp_path: Path
) -> None:
    with real(cache_dir=tmp_path) as http:
        first = http.get(local_server.url("/etag"), source="local")
        second = http.get(local_server.url("/etag"), source="local")
    with real(cache_dir=tmp_path) as http:  # the cache is on disk: a new client revalidates too
        third = http.get(local_server.url("/etag"), source="local")
    assert not first.from_cache and second.from_cache and third.from_cache
    assert first.body == second.body == third.body
    sent = [h.get("if-none-match") for path, h in local_server.state.headers if path == "/etag"]
    assert sent == [None, ETAG, ETAG]


def test_socket_robots_disallow_enforced(local_server: LocalServer) -> None:
    with real() as http:
        assert http.get(local_server.url("/public"), source="local", robots=True).status == 200
        with pytest.raises(TerminalSourceError, match=r"disallowed by robots\.txt"):
            http.get(local_server.url("/private"), source="local", robots=True)
    assert local_server.state.hits["/robots.txt"] == 1
    assert local_server.state.hits["/private"] == 0
