"""Typed settings: defaults, overridden by a TOML file and then by environment variables.

Every knob is documented here (``docs/cli.md`` lists them and a test checks it). There is no
import-time instance: call :func:`load_settings` where settings are needed, so tests and the CLI can
override anything explicitly.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from skillgauge.exceptions import InputError


class Settings(BaseSettings):
    """skillgauge's settings. Environment variables are ``SKILLGAUGE_<NAME>`` (e.g. ``SKILLGAUGE_DB``)."""

    model_config = SettingsConfigDict(env_prefix="SKILLGAUGE_", extra="forbid")

    db: Path = Field(
        default=Path("skillgauge.duckdb"),
        description="The DuckDB database file (one file, no server).",
    )
    batch_size: int = Field(
        default=5000, ge=1, le=1_000_000, description="Records per batch; one transaction each."
    )
    workers: int = Field(
        default=0,
        ge=0,
        le=64,
        description="Worker processes for cleaning and extraction; 0 means one per core.",
    )
    dedup_threshold: float = Field(
        default=0.5,
        gt=0.0,
        lt=1.0,
        description="Estimated Jaccard similarity (5-word shingles) at or above which two postings of "
        "the same month whose titles name the same level are near-duplicates. Chosen by measured "
        "precision and recall on labelled pairs: docs/dedup.md.",
    )
    minhash_perm: int = Field(
        default=64, ge=16, le=512, description="MinHash permutations for near-duplicate detection."
    )
    min_n: int = Field(
        default=30,
        ge=1,
        description="Shares from fewer unique postings than this are flagged as low-n (never hidden).",
    )
    memory_limit: str = Field(
        default="512MB",
        pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description="DuckDB's memory limit (it spills to disk beyond it); keeps a run's memory bounded "
        "whatever the corpus size (DuckDB's own default is 80% of the machine).",
    )
    http_cache: Path = Field(
        default=Path(".skillgauge-cache"),
        description="Directory of the on-disk HTTP cache live sources revalidate against.",
    )
    http_rate: float = Field(
        default=1.0, gt=0.0, le=100.0, description="Requests per second per host, at most."
    )
    taxonomy: Path | None = Field(
        default=None, description="A taxonomy file to use instead of the built-in one."
    )
    roles: Path | None = Field(
        default=None, description="A roles file to use instead of the built-in one."
    )
    vocab: Path | None = Field(
        default=None,
        description="A user's vocabulary (YAML or CSV of terms) merged with the taxonomy in use, or "
        "replacing it (vocab_mode); see docs/taxonomy.md, 'Your own vocabulary'.",
    )
    vocab_mode: Literal["merge", "replace"] = Field(
        default="merge",
        description="merge: the vocabulary's terms are added to the taxonomy (same id replaces); "
        "replace: the vocabulary is used alone.",
    )
    spark_master: str = Field(
        default="local[*]",
        min_length=1,
        description="Spark master URL for --backend spark: local[*] (every core of this machine), "
        "local[N], spark://host:7077, yarn, k8s://... (docs/scale.md).",
    )


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Settings from ``config`` (TOML, a ``[skillgauge]`` table or top-level keys), the environment
    (``SKILLGAUGE_*``), then ``overrides`` (CLI options); later wins. ``None`` overrides are ignored.
    """
    values: dict[str, Any] = {}
    path = config or (
        Path(os.environ["SKILLGAUGE_CONFIG"]) if "SKILLGAUGE_CONFIG" in os.environ else None
    )
    if path is not None:
        if not path.is_file():
            raise InputError(f"config file not found: {path}")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"config file {path} is not valid TOML: {exc}") from exc
        table = data.get("skillgauge", data)
        values.update(table)
    env = Settings()  # reads SKILLGAUGE_* from the environment
    merged = {**values, **env.model_dump(exclude_unset=True)}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings.model_validate(merged)
    except Exception as exc:  # pydantic.ValidationError: one clear line for the CLI
        raise InputError(f"invalid settings: {exc}") from exc
