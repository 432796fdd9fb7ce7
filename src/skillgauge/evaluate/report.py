"""Markdown and HTML of an evaluation. Everything from the data (sentences, spans, term ids) is
escaped: annotation text is third-party, and a sentence with ``<script>`` or ``|`` must neither run
in the HTML nor break a Markdown table. HTML uses Jinja2 autoescape; Markdown a filter that
backslash-escapes Markdown's syntax characters and turns ``<``/``>`` into entities.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from jinja2 import Environment, StrictUndefined, select_autoescape

if TYPE_CHECKING:
    from skillgauge.evaluate import EvalResult
    from skillgauge.evaluate.scoring import Rate

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md_escape(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def fmt(x: float | None) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.3f}"


def fmt_rate(r: Rate) -> str:
    if r.n == 0:
        return "n/a (n=0)"
    return f"{r.value:.3f} [{r.low:.3f}, {r.high:.3f}] (n={r.n})"


_METHODS = (
    "gold: posting level, per posting the set of term ids found in its title and text against "
    "the set its reader labelled (docs/annotation.md). Others, sentence level: per sentence, the "
    "set of term ids the extractor finds in the whole sentence against the set of term ids of the "
    "gold technology spans. Precision and recall with Wilson 95% intervals; overall F1 with a "
    "seeded percentile bootstrap over postings or sentences; per-term F1 without an interval. "
    "Gold rules and their bias: docs/accuracy.md."
)

_MD = """# Extractor accuracy against human annotations

Taxonomy: {{ r.taxonomy | md }} ({{ r.n_terms }} terms). Reproduce: `{{ r.command }}`.

{{ methods }}
{% if r.notes %}
## Gold-set targets, agreement and coverage

{% for line in r.notes %}- {{ line | md }}
{% endfor %}{% endif %}
{% for d in r.datasets %}
## {{ d.name | md }} ({{ d.n_sentences }} {{ 'postings' if d.name.startswith('gold') else 'sentences' }})

| | TP | FP | FN | precision | recall | F1 [95% CI] |
|---|---|---|---|---|---|---|
| overall | {{ d.overall.tp }} | {{ d.overall.fp }} | {{ d.overall.fn }} | \
{{ rate(d.overall.precision) }} | {{ rate(d.overall.recall) }} | \
{{ fmt(d.overall.f1) }}{% if d.overall.f1_low is not none %} \
[{{ fmt(d.overall.f1_low) }}, {{ fmt(d.overall.f1_high) }}]{% endif %} |

False negatives owed to taxonomy gaps (technology spans with no term): {{ d.taxonomy_gaps }}.

### Per term (top {{ top }} by events)

| term | TP | FP | FN | precision | recall | F1 |
|---|---|---|---|---|---|---|
{% for t in d.per_term[:top] -%}
| {{ t.term_id | md }} | {{ t.scores.tp }} | {{ t.scores.fp }} | {{ t.scores.fn }} | \
{{ rate(t.scores.precision) }} | {{ rate(t.scores.recall) }} | {{ fmt(t.scores.f1) }} |
{% endfor %}
### Errors ({{ d.errors | length }})

| kind | term | span | note | sentence |
|---|---|---|---|---|
{% for e in d.errors[:max_errors] -%}
| {{ e.kind }} | {{ e.term_id | md }} | {{ e.span | md }} | {{ e.note | md }} | {{ e.sentence | md }} |
{% endfor %}{% if d.errors | length > max_errors %}
({{ d.errors | length - max_errors }} more errors not shown.)
{% endif %}{% endfor %}"""

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>skillgauge eval</title></head><body>
<h1>Extractor accuracy against human annotations</h1>
<p>Taxonomy: {{ r.taxonomy }} ({{ r.n_terms }} terms). Reproduce: <code>{{ r.command }}</code></p>
<p>{{ methods }}</p>
{% if r.notes %}<h2>Gold-set targets, agreement and coverage</h2><ul>
{% for line in r.notes %}<li>{{ line }}</li>{% endfor %}</ul>{% endif %}
{% for d in r.datasets %}
<h2>{{ d.name }} ({{ d.n_sentences }} {{ 'postings' if d.name.startswith('gold') else 'sentences' }})</h2>
<table><tr><th></th><th>TP</th><th>FP</th><th>FN</th><th>precision</th><th>recall</th>
<th>F1 [95% CI]</th></tr>
<tr><td>overall</td><td>{{ d.overall.tp }}</td><td>{{ d.overall.fp }}</td><td>{{ d.overall.fn }}</td>
<td>{{ rate(d.overall.precision) }}</td><td>{{ rate(d.overall.recall) }}</td>
<td>{{ fmt(d.overall.f1) }}{% if d.overall.f1_low is not none %}
[{{ fmt(d.overall.f1_low) }}, {{ fmt(d.overall.f1_high) }}]{% endif %}</td></tr></table>
<p>False negatives owed to taxonomy gaps: {{ d.taxonomy_gaps }}.</p>
<h3>Per term</h3>
<table><tr><th>term</th><th>TP</th><th>FP</th><th>FN</th><th>precision</th><th>recall</th>
<th>F1</th></tr>
{% for t in d.per_term %}<tr><td>{{ t.term_id }}</td><td>{{ t.scores.tp }}</td>
<td>{{ t.scores.fp }}</td><td>{{ t.scores.fn }}</td><td>{{ rate(t.scores.precision) }}</td>
<td>{{ rate(t.scores.recall) }}</td><td>{{ fmt(t.scores.f1) }}</td></tr>
{% endfor %}</table>
<h3>Errors ({{ d.errors | length }})</h3>
<table><tr><th>kind</th><th>term</th><th>span</th><th>note</th><th>sentence</th></tr>
{% for e in d.errors %}<tr><td>{{ e.kind }}</td><td>{{ e.term_id }}</td><td>{{ e.span }}</td>
<td>{{ e.note }}</td><td>{{ e.sentence }}</td></tr>
{% endfor %}</table>
{% endfor %}</body></html>
"""

_MD_ENV = Environment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)
_MD_ENV.filters["md"] = md_escape
_HTML_ENV = Environment(
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
)
for _env in (_MD_ENV, _HTML_ENV):
    _env.globals.update(fmt=fmt, rate=fmt_rate, methods=_METHODS)


def render_markdown(result: EvalResult, *, top: int = 40, max_errors: int = 400) -> str:
    """The results as Markdown: overall table, top per-term rows and the error list."""
    return _MD_ENV.from_string(_MD).render(r=result, top=top, max_errors=max_errors)


def render_html(result: EvalResult) -> str:
    """The results as one self-contained HTML page (every term and every error)."""
    return _HTML_ENV.from_string(_HTML).render(r=result)
