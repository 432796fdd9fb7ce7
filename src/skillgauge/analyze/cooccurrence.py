"""Which terms are asked for together: pair statistics, "also asked" lists and skill clusters.

Pure functions over a ``posting_terms`` frame (posting_id, term_id; posting-level presence):

* :func:`cooccurrence` — per pair of terms: postings with both, support, lift, NPMI, Jaccard.
* :func:`also_asked` — "postings that ask for X also ask for ...": P(Y | X) with a Wilson interval
  and the lift over Y's base share.
* :func:`skill_clusters` — communities of the co-occurrence graph (Louvain, networkx).

Why several association measures: the raw count and support favour the most common terms (everyone
asks for "git"); lift corrects for that but explodes for rare pairs; NPMI (normalised pointwise
mutual information, Bouma 2009) is lift on a bounded log scale, -1 (never together) .. 0
(independent) .. 1 (always together), which makes it comparable across pairs and usable as a graph
weight; Jaccard is the overlap of the two posting sets, readable as "how interchangeable".

The denominator ``n`` is the number of postings in the selection. Pass ``posting_ids`` (e.g. every
posting of a role) so that postings mentioning no term count too; without it the selection is the
postings that appear in ``terms_frame``, i.e. those mentioning at least one term, and shares and
lifts are relative to those.

Counting is one sparse product: with X the 0/1 posting x term matrix (``scipy.sparse``), ``X.T @ X``
holds every pair count, so 35,000 postings x 600 terms take well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from skillgauge.analyze.intervals import WILSON_95, wilson
from skillgauge.analyze.population import describe_population
from skillgauge.exceptions import InputError

#: Columns of :func:`cooccurrence`, in order.
COOCCURRENCE_COLUMNS: tuple[str, ...] = (
    "term_a",
    "term_b",
    "count",
    "count_a",
    "count_b",
    "n",
    "support",
    "lift",
    "npmi",
    "jaccard",
    "method",
)

#: Columns of :func:`also_asked`, in order.
ALSO_ASKED_COLUMNS: tuple[str, ...] = (
    "term",
    "other",
    "count",
    "n_term",
    "share",
    "ci_low",
    "ci_high",
    "base_share",
    "lift",
    "method",
)

#: Columns of :func:`skill_clusters`, in order.
CLUSTER_COLUMNS: tuple[str, ...] = ("term", "cluster", "cluster_size", "degree", "method")

COOCCURRENCE_METHOD = (
    "pair counts over unique postings (sparse X.T @ X); support = count/n; "
    "lift = n*count/(count_a*count_b); NPMI = ln(p_ab/(p_a*p_b)) / -ln(p_ab) (Bouma 2009); "
    "Jaccard = count/(count_a+count_b-count)"
)

Weight = Literal["npmi", "lift", "jaccard", "count", "support"]


class _Incidence:
    """The 0/1 posting x term matrix of a selection, with its row and column labels."""

    def __init__(self, terms_frame: pd.DataFrame, posting_ids: Iterable[str] | None) -> None:
        from scipy import sparse

        pairs = terms_frame[["posting_id", "term_id"]].drop_duplicates()
        if posting_ids is not None:
            ids = pd.Index(pd.unique(pd.Series(list(posting_ids), dtype="object")))
            if len(ids) == 0:
                raise InputError("no postings in the selection: nothing to count")
            pairs = pairs[pairs["posting_id"].isin(ids)]
        else:
            ids = pd.Index(pd.unique(pairs["posting_id"].astype("object")))
            if len(ids) == 0:
                raise InputError("no postings mention any term: nothing to count")
        self.posting_ids = ids
        self.n = len(ids)
        term_codes, terms = pd.factorize(pairs["term_id"], sort=True)
        rows = ids.get_indexer(pd.Index(pairs["posting_id"].astype("object")))
        self.terms: list[str] = [str(t) for t in terms]
        self.matrix = sparse.csr_matrix(
            (np.ones(len(pairs), dtype=np.int64), (rows, term_codes)),
            shape=(self.n, len(self.terms)),
        )
        #: postings mentioning each term
        self.counts: npt.NDArray[np.int64] = np.asarray(self.matrix.sum(axis=0)).ravel()


def cooccurrence(
    terms_frame: pd.DataFrame,
    *,
    posting_ids: Iterable[str] | None = None,
    min_support: float = 0.0,
    min_count: int = 1,
    meta: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per unordered pair of terms (``term_a < term_b``) seen together in at least
    ``min_count`` postings and a share ``min_support`` of the selection.

    NPMI is 1 for a pair that appears in every posting of the selection (the limit of the formula).
    Sorted by count, largest first, then by the pair. ``attrs``: ``n`` (postings in the selection),
    ``method``, and ``population`` when ``meta`` (a ``posting_meta`` frame) is given.
    """
    if min_count < 1:
        raise InputError("min_count must be at least 1 (pairs never seen together are not listed)")
    if not 0.0 <= min_support <= 1.0:
        raise InputError("min_support is a share of postings, between 0 and 1")
    inc = _Incidence(terms_frame, posting_ids)
    from scipy import sparse

    co = sparse.triu(inc.matrix.T @ inc.matrix, k=1).tocoo()
    keep = (co.data >= min_count) & (co.data >= min_support * inc.n)
    i, j, c = co.row[keep], co.col[keep], co.data[keep].astype(np.int64)
    terms = np.asarray(inc.terms, dtype=object)
    ca, cb = inc.counts[i], inc.counts[j]
    n = float(inc.n)
    p_ab = c / n
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_ab / ((ca / n) * (cb / n)))
        npmi = np.where(p_ab < 1.0, pmi / -np.log(p_ab), 1.0)
    df = pd.DataFrame(
        {
            "term_a": terms[i],
            "term_b": terms[j],
            "count": c,
            "count_a": ca.astype(np.int64),
            "count_b": cb.astype(np.int64),
            "n": np.full(len(c), inc.n, dtype=np.int64),
            "support": p_ab,
            "lift": n * c / (ca * cb),
            "npmi": np.clip(npmi, -1.0, 1.0),
            "jaccard": c / (ca + cb - c),
            "method": COOCCURRENCE_METHOD,
        }
    )
    df = df.sort_values(["count", "term_a", "term_b"], ascending=[False, True, True])
    out = df.reset_index(drop=True)[list(COOCCURRENCE_COLUMNS)]
    _attach(out, inc, meta, COOCCURRENCE_METHOD)
    return out


def also_asked(
    terms_frame: pd.DataFrame,
    term: str,
    *,
    posting_ids: Iterable[str] | None = None,
    top: int = 10,
    min_count: int = 1,
    meta: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """ "Postings that ask for ``term`` also ask for ...": the ``top`` other terms by P(other | term).

    ``share`` is P(other | term) = count / n_term with a 95% Wilson interval
    (:func:`skillgauge.analyze.intervals.wilson`, statsmodels ``proportion_confint``);
    ``base_share`` is P(other) over the whole selection and ``lift`` = share / base_share (above 1:
    asked for together more often than chance). Ties broken by lift, then name.
    """
    if top < 1 or min_count < 1:
        raise InputError("top and min_count must be at least 1")
    inc = _Incidence(terms_frame, posting_ids)
    if term not in inc.terms:
        raise InputError(f"no posting in the selection ({inc.n} postings) mentions {term!r}")
    k = inc.terms.index(term)
    with_term = inc.matrix[inc.matrix[:, k].toarray().ravel() > 0]
    n_term = with_term.shape[0]
    both = np.asarray(with_term.sum(axis=0)).ravel()
    mask = np.arange(len(inc.terms)) != k
    mask &= both >= min_count
    idx = np.flatnonzero(mask)
    share, low, high = wilson(both[idx], np.full(len(idx), n_term))
    base = inc.counts[idx] / inc.n
    method = f"P(other | term) = count / n_term; {WILSON_95}; lift = P(other | term) / P(other)"
    df = pd.DataFrame(
        {
            "term": term,
            "other": np.asarray(inc.terms, dtype=object)[idx],
            "count": both[idx].astype(np.int64),
            "n_term": np.full(len(idx), n_term, dtype=np.int64),
            "share": share,
            "ci_low": low,
            "ci_high": high,
            "base_share": base,
            "lift": share / base,
            "method": method,
        }
    )
    df = df.sort_values(["share", "lift", "other"], ascending=[False, False, True]).head(top)
    out = df.reset_index(drop=True)[list(ALSO_ASKED_COLUMNS)]
    _attach(out, inc, meta, method)
    return out


def skill_clusters(
    cooc_df: pd.DataFrame,
    *,
    weight: Weight = "npmi",
    min_weight: float = 0.1,
    seed: int = 0,
    resolution: float = 1.0,
) -> pd.DataFrame:
    """Group terms into clusters of skills asked for together: Louvain community detection
    (``networkx.algorithms.community.louvain_communities``, fixed ``seed``) on the graph whose
    nodes are the terms of ``cooc_df`` and whose edges are the pairs with ``weight >= min_weight``
    (and > 0: Louvain needs positive weights).

    Every term of ``cooc_df`` gets a row; a term with no edge above the threshold is its own
    cluster. Clusters are numbered 0, 1, ... from the largest; ``degree`` is the term's number of
    kept edges. Requires networkx (``pip install networkx``).
    """
    import networkx as nx  # type: ignore[import-untyped]
    from networkx.algorithms.community import (  # type: ignore[import-untyped]
        louvain_communities,
    )

    if weight not in {"npmi", "lift", "jaccard", "count", "support"}:
        raise InputError(
            f"weight must be one of npmi, lift, jaccard, count, support; not {weight!r}"
        )
    if cooc_df.empty:
        raise InputError("no term pairs to cluster: the co-occurrence table is empty")
    nodes = sorted(set(cooc_df["term_a"].astype(str)) | set(cooc_df["term_b"].astype(str)))
    kept = cooc_df[(cooc_df[weight] >= min_weight) & (cooc_df[weight] > 0)]
    kept = kept.sort_values(["term_a", "term_b"])
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(
        zip(
            kept["term_a"].astype(str),
            kept["term_b"].astype(str),
            kept[weight].astype(float),
            strict=True,
        )
    )
    communities = louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted((sorted(str(t) for t in c) for c in communities), key=lambda c: (-len(c), c))
    method = (
        f"Louvain communities (networkx louvain_communities, seed={seed}, "
        f"resolution={resolution}) on pairs with {weight} >= {min_weight}"
    )
    rows = [
        (term, number, len(members), int(graph.degree(term)), method)
        for number, members in enumerate(ordered)
        for term in members
    ]
    out = pd.DataFrame(rows, columns=list(CLUSTER_COLUMNS))
    out.attrs["method"] = method
    out.attrs.update({k: v for k, v in cooc_df.attrs.items() if k in {"n", "population"}})
    return out


def _attach(out: pd.DataFrame, inc: _Incidence, meta: pd.DataFrame | None, method: str) -> None:
    out.attrs["n"] = inc.n
    out.attrs["method"] = method
    if meta is not None:
        out.attrs["population"] = describe_population(meta, inc.posting_ids)


def conditional_shares(cooc_df: pd.DataFrame) -> pd.DataFrame:
    """Both directions of every pair of a :func:`cooccurrence` frame as :func:`also_asked` rows:
    P(other | term) = count / count_term with its 95% Wilson interval, n_term = postings mentioning
    ``term``, base_share = P(other) over the selection and lift = share / base_share.

    Why from the pair table rather than one :func:`also_asked` call per term: a chart of the top
    terms needs every term's row at once, and the pair table already holds each pair's count and
    both terms' counts (so the figures are exactly those :func:`also_asked` gives for the same
    selection). Pairs below the pair table's ``min_count`` are absent here too. Sorted by term,
    then share (largest first), then other. ``attrs`` (``n``, ``population``) are kept.
    """
    missing = [
        c for c in ("term_a", "term_b", "count", "count_a", "count_b", "n") if c not in cooc_df
    ]
    if missing:
        raise InputError(f"the pair table lacks columns: {', '.join(missing)}")
    a, b = cooc_df["term_a"].astype(str), cooc_df["term_b"].astype(str)
    ca, cb = cooc_df["count_a"].astype(np.int64), cooc_df["count_b"].astype(np.int64)
    forward = pd.DataFrame({"term": a, "other": b, "n_term": ca, "n_other": cb})
    backward = pd.DataFrame({"term": b, "other": a, "n_term": cb, "n_other": ca})
    both = pd.concat([forward, backward], ignore_index=True)
    count = np.concatenate([cooc_df["count"].to_numpy(np.int64)] * 2)
    n = np.concatenate([cooc_df["n"].to_numpy(np.int64)] * 2)
    share, low, high = wilson(count, both["n_term"].to_numpy())
    base = both["n_other"].to_numpy(np.float64) / n
    method = f"P(other | term) = count / n_term; {WILSON_95}; lift = P(other | term) / P(other)"
    df = pd.DataFrame(
        {
            "term": both["term"],
            "other": both["other"],
            "count": count,
            "n_term": both["n_term"].to_numpy(np.int64),
            "share": share,
            "ci_low": low,
            "ci_high": high,
            "base_share": base,
            "lift": share / base,
            "method": method,
        }
    )
    df = df.sort_values(["term", "share", "other"], ascending=[True, False, True])
    out = df.reset_index(drop=True)[list(ALSO_ASKED_COLUMNS)]
    out.attrs.update({k: v for k, v in cooc_df.attrs.items() if k in {"n", "population"}})
    out.attrs["method"] = method
    return out
