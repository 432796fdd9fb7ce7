"""Import candidate terms from public taxonomies (O*NET, ESCO) for review.

Nothing here writes the packaged vocabulary: an import produces a candidates YAML and a Markdown
diff; a person reviews them and records each decision in ``taxonomy/review/<source>.csv``, from
which ``terms_imported.yaml`` and ``standard_ids.yaml`` are built (see docs/taxonomy.md).
"""
