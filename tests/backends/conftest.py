"""Fixtures of the backend suite: one SparkSession for the whole test session (``local[2]``, no UI,
few shuffle partitions), skipped with the install line when pyspark is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from skillgauge.backends import SPARK_INSTALL, spark_available
from skillgauge.settings import load_settings


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if not spark_available():
        pytest.skip(f"pyspark is not installed ({SPARK_INSTALL})")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        if os.environ.get("CI"):  # .ci/run installs a JDK: a missing one there is a failure
            pytest.fail("no Java runtime on CI: .ci/run should have installed openjdk-17")
        pytest.skip(
            "no Java runtime (Spark needs Java 17+: apt-get install openjdk-17-jre-headless)"
        )
    from skillgauge.backends.spark.session import spark_session

    session = spark_session(
        load_settings(),
        master="local[2]",
        conf={
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "2",
        },
    )
    yield session
    session.stop()
