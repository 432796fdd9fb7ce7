"""A SparkSession from skillgauge's settings.

The master comes from ``settings.spark_master`` (``local[*]`` by default: every core of this
machine; ``spark://host:7077``, ``yarn`` or ``k8s://...`` for a cluster). Arrow is switched on
because every Python stage exchanges Arrow batches with the JVM (``mapInArrow``/``applyInArrow``),
and the session time zone is UTC so dates never shift between the driver and the executors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from skillgauge.backends import require_spark
from skillgauge.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

APP_NAME = "skillgauge"


def spark_session(
    settings: Settings,
    *,
    master: str | None = None,
    conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """Get (or create) the SparkSession for ``settings`` (``master`` overrides the setting).

    ``conf`` adds Spark settings (e.g. ``spark.sql.shuffle.partitions``); the defaults here keep
    a laptop run quiet (no UI) and deterministic (UTC, Arrow on).
    """
    require_spark()
    from pyspark.sql import SparkSession

    chosen = master or settings.spark_master
    builder = (
        SparkSession.builder.appName(APP_NAME)
        .master(chosen)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")  # tools stay built between tasks
        .config("spark.ui.showConsoleProgress", "false")
    )
    if chosen.startswith("local") and "spark.pyspark.python" not in (conf or {}):
        # Local executors must run this very interpreter: the one with skillgauge and its
        # dependencies installed (a venv that is not activated is not the ``python3`` on PATH).
        # PySpark's SparkContext reads only the environment for it. On a cluster, set
        # PYSPARK_PYTHON (or spark.pyspark.python) to the executors' interpreter.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
