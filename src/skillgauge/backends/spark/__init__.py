"""The Spark backend (``--backend spark``): ingest to a Parquet dataset, then the analyses in Spark.

Importing this package imports pyspark; call :func:`skillgauge.backends.require_spark` first.
"""
