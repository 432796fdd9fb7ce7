/* skillgauge dashboard: fetches the REST API's JSON and draws it with Plotly.
 *
 * Every label, title and source name comes from job postings or user input, so it is treated as
 * untrusted: DOM text is set with textContent only (never as markup), and text handed to Plotly
 * (which understands a little HTML in labels) is entity-escaped first by plotlyText().
 */
"use strict";

(function () {
  const PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04"];
  const MAX_COMPARE = 4;
  /** Trend periods with fewer postings are not drawn: a share of 1 in 3 is noise, not a trend. */
  const TREND_MIN_N = 10;
  const PLOT_CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
  const state = { roles: [], terms: new Map(), gens: {}, inflight: 0, trendsTouched: false, alsoTouched: false };

  const $ = (id) => document.getElementById(id);

  /* -- small helpers ---------------------------------------------------------------------------- */

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  /** Text for Plotly: it parses <b>, <a href>, <br> ... in labels, so escape markup characters. */
  function plotlyText(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  function pct(x, digits) {
    if (x === null || x === undefined || Number.isNaN(x)) return "n/a";
    return (100 * x).toFixed(digits === undefined ? 1 : digits) + "%";
  }

  function fmtInt(x) {
    return x === null || x === undefined ? "n/a" : Number(x).toLocaleString("en-US");
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (Array.isArray(value)) value.forEach((v) => q.append(key, v));
      else if (value !== null && value !== undefined && value !== "") q.append(key, String(value));
    }
    return q.toString();
  }

  async function getJSON(path, params) {
    const url = "api/" + path + (params ? "?" + query(params) : "");
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (err) {
      body = null;
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : "HTTP " + response.status;
      throw new Error(message);
    }
    return body;
  }

  function termLabel(id) {
    const term = state.terms.get(id);
    return term ? term.label : id;
  }

  function setNote(id, text, isError) {
    const node = $(id);
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(isError));
  }

  function populationLine(pop) {
    if (!pop || typeof pop !== "object") return "";
    const parts = [];
    if (pop.postings !== undefined) parts.push(fmtInt(pop.postings) + " unique postings");
    if (Array.isArray(pop.roles) && pop.roles.length) parts.push("roles: " + pop.roles.join(", "));
    if (pop.date_min || pop.date_max) parts.push("dates " + (pop.date_min || "?") + " to " + (pop.date_max || "?"));
    if (Array.isArray(pop.sources) && pop.sources.length) {
      const names = pop.sources.map((s) => (typeof s === "object" && s !== null ? s.name : s));
      parts.push(names.length + " source" + (names.length === 1 ? "" : "s") + ": " + names.join(", "));
    }
    return parts.join("; ");
  }

  function emptyChart(id, message) {
    const layout = {
      xaxis: { visible: false },
      yaxis: { visible: false },
      annotations: [{ text: plotlyText(message), showarrow: false, font: { size: 14, color: "#6b7280" } }],
      margin: { t: 10, b: 10, l: 10, r: 10 },
      height: 240,
    };
    return Plotly.react($(id), [], layout, PLOT_CONFIG);
  }

  /* -- selection ------------------------------------------------------------------------------- */

  function selectedRole() {
    return $("role").value;
  }

  function selectedCompare() {
    return Array.from($("compare").querySelectorAll("input:checked"))
      .map((box) => box.value)
      .filter((r) => r !== selectedRole())
      .slice(0, MAX_COMPARE);
  }

  function selectedTrendTerms() {
    return Array.from($("trend-terms").selectedOptions).map((o) => o.value);
  }

  function fillRoles(roles, initial) {
    const select = $("role");
    const chips = $("compare");
    select.replaceChildren();
    chips.replaceChildren();
    for (const role of roles) {
      const label = role.label + " (" + fmtInt(role.postings) + ")";
      const option = el("option", label);
      option.value = role.id;
      select.append(option);

      const chip = el("label", null, "chip");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = role.id;
      box.name = "compare";
      box.checked = initial.compare.includes(role.id);
      chip.append(box, document.createTextNode(" " + label));
      chips.append(chip);
    }
    select.value = initial.role;
    syncChips();
  }

  /** The main role cannot be compared with itself; at most MAX_COMPARE roles are compared. */
  function syncChips() {
    const role = selectedRole();
    const checked = selectedCompare().length;
    for (const box of $("compare").querySelectorAll("input")) {
      if (box.value === role) box.checked = false;
      box.disabled = box.value === role || (!box.checked && checked >= MAX_COMPARE);
      box.parentElement.classList.toggle("on", box.checked);
    }
  }

  function fillTermSelect(select, ids, selected) {
    select.replaceChildren();
    for (const id of ids) {
      const option = el("option", termLabel(id));
      option.value = id;
      option.selected = selected.includes(id);
      select.append(option);
    }
  }

  function initialSelection(roles) {
    const params = new URLSearchParams(window.location.search);
    const ids = roles.map((r) => r.id);
    const ranked = roles.filter((r) => r.id !== "other" && r.id !== "all").sort((a, b) => b.postings - a.postings);
    let role = params.get("role");
    if (!ids.includes(role)) role = ranked.length ? ranked[0].id : ids[0];
    let compare = params.getAll("compare").filter((r) => ids.includes(r) && r !== role);
    if (!params.has("role") && !compare.length) {
      compare = ranked.filter((r) => r.id !== role).slice(0, 1).map((r) => r.id);
    }
    return { role: role, compare: compare.slice(0, MAX_COMPARE) };
  }

  function rememberSelection() {
    const q = query({ role: selectedRole(), compare: selectedCompare() });
    window.history.replaceState(null, "", window.location.pathname + "?" + q);
  }

  /** Each panel keeps its own request counter, so a late answer never overwrites a newer one. */
  function nextGen(panel) {
    state.gens[panel] = (state.gens[panel] || 0) + 1;
    return [panel, state.gens[panel]];
  }

  function stale(gen) {
    return state.gens[gen[0]] !== gen[1];
  }

  /** The roles of a shares answer, in order: objects ({id, label, postings}) or plain ids. */
  function roleIds(data) {
    return (data.roles || []).map((r) => (r !== null && typeof r === "object" ? r.id : r));
  }

  /* -- panels ------------------------------------------------------------------------------------- */

  async function drawShares() {
    const gen = nextGen("shares");
    const role = selectedRole();
    const data = await getJSON("shares", { role: role, compare: selectedCompare(), top: $("top").value });
    if (stale(gen)) return null;
    const order = roleIds(data);
    const traces = order.map((roleId, i) => {
      const rows = data.rows.filter((r) => r.role === roleId);
      const n = rows.length ? rows[0].n : 0;
      const label = rows.length ? rows[0].role_label : roleId;
      const lowN = rows.some((r) => r.low_n);
      return {
        type: "bar",
        name: plotlyText(label + " (n=" + fmtInt(n) + ")" + (lowN ? " - low n" : "")),
        x: rows.map((r) => plotlyText(r.label)),
        y: rows.map((r) => r.share),
        customdata: rows.map((r) => [r.term_id, r.count, r.n, r.ci_low, r.ci_high]),
        meta: { role: roleId },
        error_y: {
          type: "data",
          symmetric: false,
          array: rows.map((r) => (r.ci_high === null || r.share === null ? null : r.ci_high - r.share)),
          arrayminus: rows.map((r) => (r.ci_low === null || r.share === null ? null : r.share - r.ci_low)),
          thickness: 1.2,
          width: 3,
          color: "#374151",
        },
        marker: { color: PALETTE[i % PALETTE.length], opacity: lowN ? 0.55 : 0.9 },
        hovertemplate:
          "%{x}<br>%{y:.1%} of postings (%{customdata[1]} of %{customdata[2]})" +
          "<br>95% CI %{customdata[3]:.1%} to %{customdata[4]:.1%}<extra>%{fullData.name}</extra>",
      };
    });
    const layout = {
      barmode: "group",
      bargap: 0.18,
      height: 460,
      margin: { t: 20, r: 20, b: 110, l: 60 },
      yaxis: { title: { text: "share of postings" }, tickformat: ".0%", rangemode: "tozero", gridcolor: "#e5e7eb" },
      xaxis: { tickangle: -35, automargin: true },
      legend: { orientation: "h", y: 1.08, x: 0 },
      plot_bgcolor: "#ffffff",
      paper_bgcolor: "#ffffff",
    };
    await Plotly.react($("shares-chart"), traces, layout, PLOT_CONFIG);
    const m = data.manifest || {};
    setNote(
      "shares-note",
      (m.interval_method ? "Intervals: " + m.interval_method + ". " : "") +
        (m.min_n ? "Roles with fewer than " + m.min_n + " postings are marked low n." : "")
    );
    renderManifest(m);
    return data;
  }

  function renderManifest(m) {
    const dl = $("manifest");
    dl.replaceChildren();
    const add = (name, value) => {
      dl.append(el("dt", name));
      const dd = el("dd");
      if (value instanceof Node) dd.append(value);
      else dd.textContent = value === null || value === undefined || value === "" ? "n/a" : String(value);
      dl.append(dd);
    };
    add("Corpus", fmtInt(m.corpus_postings) + " unique postings (" + fmtInt(m.raw_read) + " records read, " +
      fmtInt(m.duplicates) + " duplicates, " + fmtInt(m.rejected) + " rejected)");
    add("Postings by role", Object.entries(m.postings_by_role || {}).map(([k, v]) => k + ": " + fmtInt(v)).join("; "));
    add("Dates", (m.date_min || "?") + " to " + (m.date_max || "?"));
    const list = el("ul", null, "plain");
    for (const s of m.sources || []) list.append(el("li", s.name + ": " + fmtInt(s.postings)));
    add("Sources", list);
    add("Deduplication", m.dedup_rule);
    add("Taxonomy", (m.taxonomy_version || "") + (m.taxonomy_hash ? " (hash " + String(m.taxonomy_hash).slice(0, 12) + ")" : ""));
    add("Roles version", m.roles_version);
    add("Intervals", m.interval_method);
    add("Minimum n", m.min_n);
    const cmd = el("code", m.command || "n/a");
    add("Command", cmd);
    add("Database", m.database);
    add("Created", m.created_at);
    add("skillgauge", m.skillgauge_version);
    $("corpus-line").textContent =
      fmtInt(m.corpus_postings) + " unique postings from " + (m.sources || []).length + " source" +
      ((m.sources || []).length === 1 ? "" : "s") + ", " + (m.date_min || "?") + " to " + (m.date_max || "?");
  }

  async function drawTrends() {
    const gen = nextGen("trends");
    const terms = selectedTrendTerms();
    if (!terms.length) {
      await emptyChart("trends-chart", "Pick one or more terms.");
      setNote("trends-note", "");
      return null;
    }
    const data = await getJSON("trends", { terms: terms, role: selectedRole(), freq: $("freq").value });
    if (stale(gen)) return null;
    const rows = data.rows || [];
    if (!rows.length) {
      await emptyChart("trends-chart", "No dated postings for this selection.");
      setNote("trends-note", populationLine(data.population));
      return data;
    }
    const traces = [];
    terms.forEach((term, i) => {
      const mine = rows.filter((r) => r.term === term);
      const color = PALETTE[i % PALETTE.length];
      const x = mine.map((r) => r.period_start || r.period);
      traces.push({
        type: "scatter", mode: "lines", x: x, y: mine.map((r) => (r.n >= TREND_MIN_N ? r.ci_high : null)), line: { width: 0 },
        hoverinfo: "skip", showlegend: false, legendgroup: term,
      });
      traces.push({
        type: "scatter", mode: "lines", x: x, y: mine.map((r) => (r.n >= TREND_MIN_N ? r.ci_low : null)), line: { width: 0 }, fill: "tonexty",
        fillcolor: color + "26", hoverinfo: "skip", showlegend: false, legendgroup: term,
      });
      traces.push({
        type: "scatter", mode: "lines+markers", name: plotlyText(termLabel(term)), legendgroup: term,
        x: x, y: mine.map((r) => (r.n >= TREND_MIN_N ? r.share : null)), line: { color: color, width: 2 },
        marker: { size: 4 }, connectgaps: false,
        customdata: mine.map((r) => [r.period, r.count, r.n, r.ci_low, r.ci_high]),
        hovertemplate: "%{customdata[0]}: %{y:.1%} (%{customdata[1]} of %{customdata[2]})" +
          "<br>95% CI %{customdata[3]:.1%} to %{customdata[4]:.1%}<extra>%{fullData.name}</extra>",
      });
    });
    const layout = {
      height: 340, margin: { t: 10, r: 10, b: 40, l: 55 },
      yaxis: { tickformat: ".0%", rangemode: "tozero", gridcolor: "#e5e7eb" },
      legend: { orientation: "h", y: 1.12, x: 0 }, hovermode: "closest",
    };
    await Plotly.react($("trends-chart"), traces, layout, PLOT_CONFIG);
    setNote("trends-note", [populationLine(data.population), data.method,
      "periods with fewer than " + TREND_MIN_N + " postings are not drawn"].filter(Boolean).join(". "));
    return data;
  }

  async function drawAlso() {
    const gen = nextGen("also");
    const term = $("also-term").value;
    if (!term) {
      await emptyChart("also-chart", "No term to start from.");
      return null;
    }
    const data = await getJSON("cooccurrence", { term: term, role: selectedRole(), top: 12 });
    if (stale(gen)) return null;
    const rows = (data.rows || []).slice().reverse(); // largest at the top of a horizontal chart
    if (!rows.length) {
      await emptyChart("also-chart", "Nothing else is asked with this term here.");
      setNote("also-note", populationLine(data.population));
      return data;
    }
    const labels = rows.map((r) => plotlyText(termLabel(r.other)));
    const nTerm = rows[0].n_term;
    const traces = [
      {
        type: "bar", orientation: "h",
        name: plotlyText("also ask (of the n=" + fmtInt(nTerm) + " postings asking for " + termLabel(term) + ")"),
        y: labels, x: rows.map((r) => r.share), marker: { color: PALETTE[0], opacity: 0.85 },
        customdata: rows.map((r) => [r.other, r.count, r.n_term, r.ci_low, r.ci_high, r.lift, r.base_share]),
        error_x: {
          type: "data", symmetric: false, thickness: 1.2, width: 3, color: "#374151",
          array: rows.map((r) => (r.ci_high === null ? null : r.ci_high - r.share)),
          arrayminus: rows.map((r) => (r.ci_low === null ? null : r.share - r.ci_low)),
        },
        hovertemplate: "%{y}: %{x:.1%} (%{customdata[1]} of %{customdata[2]})<br>95% CI %{customdata[3]:.1%}" +
          " to %{customdata[4]:.1%}<br>lift %{customdata[5]:.2f}<extra></extra>",
      },
      {
        type: "scatter", mode: "markers", name: "share among all the role's postings", y: labels,
        x: rows.map((r) => r.base_share), marker: { symbol: "line-ns-open", size: 14, color: "#111827", line: { width: 2 } },
        hovertemplate: "%{y}: %{x:.1%} of all the role's postings<extra></extra>",
      },
    ];
    const layout = {
      height: 360, margin: { t: 10, r: 10, b: 55, l: 120 },
      xaxis: {
        tickformat: ".0%", rangemode: "tozero", gridcolor: "#e5e7eb",
        title: { text: plotlyText("share of the n=" + fmtInt(nTerm) + " postings asking for " + termLabel(term) +
          ", with 95% Wilson intervals"), font: { size: 12 } },
      },
      yaxis: { automargin: true }, legend: { orientation: "h", y: 1.12, x: 0 },
    };
    await Plotly.react($("also-chart"), traces, layout, PLOT_CONFIG);
    setNote("also-note", [populationLine(data.population), data.method].filter(Boolean).join(". "));
    return data;
  }

  async function drawPath() {
    const gen = nextGen("path");
    const data = await getJSON("path", { role: selectedRole(), top: 15 });
    if (stale(gen)) return null;
    const body = $("path-table").tBodies[0];
    body.replaceChildren();
    (data.steps || []).forEach((s, i) => {
      const tr = el("tr");
      tr.append(
        el("td", i + 1),
        el("td", s.stage, "stage stage-" + String(s.stage).replace(/[^a-z0-9-]/gi, "")),
        el("td", s.label),
        el("td", pct(s.share, 0) + " [" + pct(s.ci_low, 0) + " to " + pct(s.ci_high, 0) + "]", "num"),
        el("td", s.why, "why")
      );
      body.append(tr);
    });
    const msg = $("path-message");
    msg.textContent = data.message || "";
    msg.hidden = !data.message;
    setNote("path-note", fmtInt(data.n) + " postings of this role" + (data.low_n ? " (low n)" : ""));
    return data;
  }

  async function drawPostings() {
    const gen = nextGen("postings");
    const data = await getJSON("postings", { role: selectedRole(), page: 1, page_size: 10 });
    if (stale(gen)) return null;
    const body = $("postings-table").tBodies[0];
    body.replaceChildren();
    for (const p of data.items || []) {
      const tr = el("tr");
      const date = p.date_posted ? String(p.date_posted).slice(0, 10) : "";
      const terms = (p.terms || []).slice(0, 8).map(termLabel).join(", ");
      tr.append(el("td", date, "nowrap"), el("td", p.title), el("td", p.company), el("td", p.source), el("td", terms, "muted"));
      body.append(tr);
    }
    setNote("postings-note", fmtInt(data.total) + " postings of this role in the corpus");
    return data;
  }

  /* -- orchestration ------------------------------------------------------------------------------ */

  async function refresh(what) {
    state.inflight += 1;
    document.body.dataset.state = "loading";
    $("status").textContent = "Loading\u2026";
    $("status").classList.remove("error");
    const failures = [];
    const guard = (name, job, noteId) =>
      job.catch((err) => {
        failures.push(name + ": " + err.message);
        if (noteId) setNote(noteId, name + ": " + err.message, true);
        return null;
      });
    const tasks = [];
    if (what.shares) {
      const shares = guard("shares", drawShares(), "shares-note").then((data) => {
        // default picks for trends and "also asked" follow the role's top terms until the user picks
        if (data) {
          const top = [...new Set(data.rows.filter((r) => r.role === roleIds(data)[0]).map((r) => r.term_id))];
          if (!state.trendsTouched) fillTermSelect($("trend-terms"), allTermIds(top), top.slice(0, 3));
          if (!state.alsoTouched) fillTermSelect($("also-term"), allTermIds(top), top.slice(0, 1));
        }
        return data;
      });
      tasks.push(shares.then((data) => (what.dependents ? Promise.all([
        guard("trends", drawTrends(), "trends-note"),
        guard("also asked", drawAlso(), "also-note"),
      ]) : null)));
    }
    if (what.trends) tasks.push(guard("trends", drawTrends(), "trends-note"));
    if (what.also) tasks.push(guard("also asked", drawAlso(), "also-note"));
    if (what.path) tasks.push(guard("learning path", drawPath(), "path-note"));
    if (what.postings) tasks.push(guard("postings", drawPostings(), "postings-note"));
    await Promise.all(tasks);
    state.inflight -= 1;
    $("status").textContent = failures.length ? "Some panels failed: " + failures.join("; ") : "";
    $("status").classList.toggle("error", failures.length > 0);
    if (state.inflight === 0) document.body.dataset.state = "ready";
  }

  /** The role's top terms first, then every other term of the taxonomy by label. */
  function allTermIds(top) {
    const rest = Array.from(state.terms.keys()).filter((id) => !top.includes(id));
    rest.sort((a, b) => termLabel(a).localeCompare(termLabel(b)));
    return top.concat(rest);
  }

  const ALL_PANELS = { shares: true, dependents: true, path: true, postings: true };

  async function start() {
    try {
      const [roles, terms] = await Promise.all([getJSON("roles"), getJSON("terms")]);
      for (const t of terms.terms || []) state.terms.set(t.id, t);
      state.roles = (roles.roles || []).filter((r) => r.postings > 0);
      if (!state.roles.length) {
        $("status").textContent = "The database holds no postings yet.";
        document.body.dataset.state = "ready";
        return;
      }
      fillRoles(state.roles, initialSelection(state.roles));
    } catch (err) {
      $("status").textContent = "Could not load the dashboard: " + err.message;
      $("status").classList.add("error");
      document.body.dataset.state = "ready";
      return;
    }
    $("role").addEventListener("change", () => {
      state.trendsTouched = false;
      state.alsoTouched = false;
      syncChips();
      rememberSelection();
      refresh(ALL_PANELS);
    });
    $("compare").addEventListener("change", () => {
      syncChips();
      rememberSelection();
      refresh({ shares: true });
    });
    $("top").addEventListener("change", () => refresh({ shares: true }));
    $("trend-terms").addEventListener("change", () => {
      state.trendsTouched = true;
      refresh({ trends: true });
    });
    $("freq").addEventListener("change", () => refresh({ trends: true }));
    $("also-term").addEventListener("change", () => {
      state.alsoTouched = true;
      refresh({ also: true });
    });
    await refresh(ALL_PANELS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
