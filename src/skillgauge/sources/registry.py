"""Every live source by name, imported only when used (each module may pull in its own libraries).

A source module defines one class with ``info: SourceInfo``; its constructor takes keyword options
(API keys, a host, a search term). :func:`create` fills options the user did not give from the
environment: parameter ``key`` of source ``usajobs`` reads ``SKILLGAUGE_USAJOBS_KEY``. Options are
never logged (they may be secrets).
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from collections.abc import Mapping
from typing import Any

from skillgauge.exceptions import InputError
from skillgauge.sources.base import Source, SourceInfo

#: name -> module. Adding a source: its module plus one line here.
MODULES: dict[str, str] = {
    "greenhouse": "skillgauge.sources.greenhouse",
    "lever": "skillgauge.sources.lever",
    "ashby": "skillgauge.sources.ashby",
    "smartrecruiters": "skillgauge.sources.smartrecruiters",
    "workable": "skillgauge.sources.workable",
    "recruitee": "skillgauge.sources.recruitee",
    "personio": "skillgauge.sources.personio",
    "hackernews": "skillgauge.sources.hackernews",
    "remotive": "skillgauge.sources.remotive",
    "remoteok": "skillgauge.sources.remoteok",
    "arbeitnow": "skillgauge.sources.arbeitnow",
    "jobicy": "skillgauge.sources.jobicy",
    "themuse": "skillgauge.sources.themuse",
    "usajobs": "skillgauge.sources.usajobs",
    "adzuna": "skillgauge.sources.adzuna",
    "boards": "skillgauge.sources.jobspy_boards",
}


def names() -> list[str]:
    return list(MODULES)


def source_class(name: str) -> type[Any]:
    """The class implementing source ``name``; InputError naming the known ones if unknown."""
    if name not in MODULES:
        raise InputError(f"unknown source '{name}'; known sources: {', '.join(MODULES)}")
    module = importlib.import_module(MODULES[name])
    for obj in vars(module).values():
        info = getattr(obj, "info", None)
        if inspect.isclass(obj) and isinstance(info, SourceInfo) and info.name == name:
            return obj
    raise InputError(f"source module {MODULES[name]} defines no source named '{name}'")


def info(name: str) -> SourceInfo:
    found: SourceInfo = source_class(name).info
    return found


def option_names(name: str) -> list[str]:
    """The keyword options a source's constructor takes."""
    sig = inspect.signature(source_class(name).__init__)
    return [
        p.name
        for p in sig.parameters.values()
        if p.name != "self"
        and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        and p.name not in TEST_HOOKS
    ]


#: Constructor parameters that exist for tests (a clock, an injected scraper), not for users.
TEST_HOOKS = frozenset({"today", "now", "scrape_jobs"})


def resolve_options(
    name: str, options: Mapping[str, str] | None = None, env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``options`` plus, for each constructor option not given, ``SKILLGAUGE_<NAME>_<OPTION>``."""
    known = option_names(name)
    given = dict(options or {})
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InputError(
            f"source '{name}' has no option {', '.join(unknown)}; its options: "
            f"{', '.join(known) or 'none'}"
        )
    environ = os.environ if env is None else env
    for opt in known:
        var = f"SKILLGAUGE_{name.upper()}_{opt.upper()}"
        if opt not in given and var in environ:
            given[opt] = environ[var]
    return given


#: Option names (or their "_"-separated parts) whose values are secrets.
SECRET_PARTS = frozenset({"key", "apikey", "token", "secret", "password", "email"})


def is_secret_option(name: str) -> bool:
    """``key``, ``app_key``, ``api-token``, ``email`` are secrets; ``keyword`` is not."""
    parts = re.split(r"[_\-.]", name.lower())
    return any(p in SECRET_PARTS for p in parts)


def secret_values(options: Mapping[str, str]) -> list[str]:
    """The option values to redact everywhere (keys, tokens, emails); board names stay readable."""
    return [str(v) for k, v in options.items() if v and is_secret_option(k)]


def create(
    name: str, options: Mapping[str, str] | None = None, env: Mapping[str, str] | None = None
) -> Source:
    """An instance of source ``name`` with ``options``, the rest from ``SKILLGAUGE_<NAME>_<OPTION>``."""
    given = resolve_options(name, options, env)
    try:
        instance: Source = source_class(name)(**given)
    except TypeError as exc:  # a required option missing
        raise InputError(f"source '{name}': {exc}") from exc
    return instance
