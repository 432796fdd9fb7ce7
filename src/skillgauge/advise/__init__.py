"""Advice for one person: a learning path for a role and a gap analysis of their skills.

* :func:`~skillgauge.advise.path.learning_path` — what to learn for a role, staged and ordered by
  demand, taxonomy prerequisites and co-occurrence.
* :func:`~skillgauge.advise.gap.gap_analysis` — what a person already covers, the next skills that
  unlock the most postings (greedy over the real postings) and the roles they fit best.
* :func:`~skillgauge.advise.resume.read_resume` — the text of a local résumé (PDF, DOCX, Markdown or
  text); nothing is stored or sent anywhere.

All analysis functions are pure: they take the frames of :mod:`skillgauge.store.queries`.
"""

from __future__ import annotations

from skillgauge.advise.gap import Gap, GapStep, RoleFit, gap_analysis, resolve_skills
from skillgauge.advise.path import LearningPath, PathStep, learning_path
from skillgauge.advise.resume import read_resume

__all__ = [
    "Gap",
    "GapStep",
    "LearningPath",
    "PathStep",
    "RoleFit",
    "gap_analysis",
    "learning_path",
    "read_resume",
    "resolve_skills",
]
