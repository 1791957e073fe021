// The dashboard's pages: each fills its shell from the documented API, with the session
// cookie (writes echo the session's CSRF token).
"use strict";

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const PAGE = document.body.dataset.page;
const MEMBER = document.body.dataset.member;
const STATUS_COLOURS = { active: "#2e7d32", inactive: "#f9a825", terminated: "#c62828" };
const PAGE_SIZE = 100;
// The API calls ("endpoint METHOD") this session's key may make: a page leaves out the rest.
const CALLS = new Set(JSON.parse(document.body.dataset.calls));
const can = (call) => CALLS.has(call);

async function api(path, options = {}) {
  const response = await fetch("/api/v1" + path, {
    credentials: "same-origin",
    ...options,
    headers: { "X-CSRF-Token": CSRF, "Content-Type": "application/json", ...(options.headers || {}) },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

function showError(error) {
  const box = document.getElementById("error");
  box.textContent = error.message;
  box.hidden = false;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") node.addEventListener("click", value);
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? "—"));
  return node;
}

function memberLink(id) {
  return el("a", { href: `/ui/members/${encodeURIComponent(id)}` }, id);
}

// A table: a header row, then one row per item; a column is [title, item => cell].
function table(id, columns, items, empty = "Nothing yet.") {
  const node = document.getElementById(id);
  node.replaceChildren(el("tr", {}, ...columns.map(([title]) => el("th", {}, title))));
  for (const item of items) node.append(el("tr", {}, ...columns.map(([, cell]) => el("td", {}, cell(item)))));
  if (!items.length) node.append(el("tr", {}, el("td", { colspan: columns.length }, empty)));
}

function figures(id, pairs) {
  document.getElementById(id).replaceChildren(
    ...pairs.map(([label, value]) => el("div", { class: "figure" }, el("span", {}, label), el("strong", {}, value))));
}

const percent = (x) => (x === null || x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
const money = (totals) => (totals || []).map((t) => `${t.amount ?? t.total} ${t.currency}`).join(", ") || "—";
const day = (text) => (text ? text.slice(0, 10) : "—");

const COMMISSION_RUN_COLUMNS = [
  ["Run", (r) => r.id.slice(0, 8)], ["Plan", (r) => `${r.plan_id} v${r.plan_version}`],
  ["Period", (r) => `${day(r.from)} – ${day(r.to)}`], ["Status", (r) => r.status],
  ["Progress", (r) => percent(r.progress)], ["Totals", (r) => money(r.totals)],
];
const ANALYSIS_RUN_COLUMNS = [
  ["Run", (r) => r.id.slice(0, 8)], ["Kind", (r) => r.kind], ["Status", (r) => r.status],
  ["Progress", (r) => percent(r.progress)], ["Finished", (r) => r.finished_at?.slice(0, 19) ?? "—"],
  ["Found", (r) => Object.entries(r.summary || {}).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join("; ")],
];

async function breadcrumb(memberId) {
  const upline = await api(`/members/${encodeURIComponent(memberId)}/upline`);
  const crumbs = upline.items.slice().reverse().map((u) => memberLink(u.id));
  document.getElementById("breadcrumb").replaceChildren(
    ...crumbs.flatMap((c) => [c, " › "]), el("strong", {}, memberId));
}

function levels(id, downline) {
  table(id, [["Level", (l) => l.level], ["Members", (l) => l.count.toLocaleString("en")]], downline.levels,
    "No downline.");
}

// -- pages -------------------------------------------------------------------------------
const pages = {
  async overview() {
    const [commission, analysis] = await Promise.all([
      can("commission_runs.CommissionRuns GET") ? api("/commission-runs?limit=5") : { items: [] },
      api("/analysis/runs?limit=5")]);
    table("commission-runs", COMMISSION_RUN_COLUMNS, commission.items);
    table("analysis-runs", ANALYSIS_RUN_COLUMNS, analysis.items);
    const paid = commission.items.find((r) => r.status === "complete");
    const latest = analysis.items.find((r) => r.status === "complete" && r.summary);
    const shown = [
      ["Latest commission run", paid ? `${paid.plan_id} ${day(paid.from)} – ${day(paid.to)}: ${money(paid.totals)}` : "—"],
      ["High-risk rings (latest analysis)", latest?.summary?.high_risk_rings ?? "—"],
      ["Referrers scored (latest analysis)", latest?.summary?.referrers_scored ?? "—"],
    ];
    figures("figures", shown);
    // Sales from the latest stored compliance run's period: served from what the run stored,
    // where another period would be computed over the whole network.
    const stored = (await api("/analysis/runs?kind=compliance&status=complete&limit=1")).items[0];
    if (!stored || !can("compliance.Program GET")) return;
    const program = await api(`/compliance/program?from=${day(stored.from)}&to=${day(stored.to)}`);
    const volume = (kind) => `${program.volumes[kind]} ${program.currency}`;
    figures("figures", [
      [`Retail sales, ${day(stored.from)} – ${day(stored.to)}`, volume("retail")],
      ["Members' own purchases", volume("personal")],
      ["Enrollment kits + inventory", `${program.volumes.enrollment} + ${volume("inventory")}`],
      ["End-user share of commissions", percent(program.end_user_commission_share)],
      ...shown]);
  },

  async genealogy() {
    const form = document.getElementById("search");
    const input = document.getElementById("q");
    input.addEventListener("input", async () => {
      const q = input.value.trim();
      const list = document.getElementById("matches");
      if (!q || !can("members.Members GET")) return list.replaceChildren();  // an app key types the id
      const found = await api(`/members?q=${encodeURIComponent(q)}&limit=8`).catch(showError);
      list.replaceChildren(...(found?.items || []).map((m) => el("li", {}, el("a", { href: `?member=${m.id}` }, m.id))));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      drawTree(input.value.trim()).catch(showError);
    });
    if (MEMBER) await drawTree(MEMBER);
  },

  async member() {
    const id = encodeURIComponent(MEMBER);
    const [member, downline, runs] = await Promise.all([
      api(`/members/${id}`), api(`/members/${id}/downline?depth=10&limit=1`),
      can("commission_runs.CommissionRuns GET") ? api("/commission-runs?limit=20&status=complete") : { items: [] },
    ]);
    figures("profile", [["Status", member.status], ["Joined", day(member.joined_at)], ["Country", member.country],
      ["Sponsor", member.sponsor_id ?? "none"], ["Direct recruits", member.direct_recruits],
      ["Downline", member.downline_total.toLocaleString("en")]]);
    levels("levels", downline);
    await breadcrumb(MEMBER);
    const to = new Date();
    const from = new Date(to.getTime() - 90 * 86400e3);
    if (can("referral_codes.ReferralStats GET")) {
      const s = await api(`/members/${id}/referral-stats?from=${from.toISOString().slice(0, 10)}&to=${to.toISOString().slice(0, 10)}`);
      table("referral-stats", [["Clicks", () => s.clicks], ["Visitors", () => s.unique_visitors],
        ["Signups approved", () => s.signups.approved], ["Held", () => s.signups.held],
        ["Friends who bought", () => s.friends_who_bought], ["Earnings", () => money(s.earnings)]], [s]);
    } else table("referral-stats", [["", () => ""]], [], "Not for this role.");
    if (can("member_rewards.Rewards GET")) {
      const [rewards, badges] = await Promise.all([api(`/members/${id}/rewards?limit=20`), api(`/members/${id}/badges`)]);
      table("balances", [["Currency", (b) => b.currency], ["Pending", (b) => b.pending], ["Held", (b) => b.held],
        ["Approved", (b) => b.approved], ["In payout", (b) => b.in_payout], ["Paid", (b) => b.paid],
        ["Capped", (b) => b.capped], ["Canceled", (b) => b.canceled]],
      rewards.balances, "No rewards yet.");
      document.getElementById("badges").textContent = badges.items.length
        ? `Badges: ${badges.items.map((b) => `${b.badge} (${day(b.at)})`).join(", ")}` : "No badges yet.";
      table("reward-lines", [["When", (x) => day(x.at)], ["Kind", (x) => x.kind], ["Event", (x) => x.event_id],
        ["Amount", (x) => (x.amount ? `${x.amount} ${x.currency}` : "—")], ["Status", (x) => x.status + (x.cap ? ` (${x.cap} cap)` : "")],
        ["Approves", (x) => day(x.approves_at)]], rewards.items.filter((x) => x.amount), "No reward lines.");
    }
    const select = document.getElementById("run");
    select.replaceChildren(...runs.items.map((r) => el("option", { value: r.id }, `${r.plan_id} ${day(r.from)} – ${day(r.to)}`)));
    const show = async () => {
      if (!select.value) return table("statement", [["", () => ""]], [], "No complete commission run listed for this role.");
      const s = await api(`/members/${id}/commissions?run=${select.value}&limit=100`);
      table("statement", [["Order", (l) => l.order_id], ["Level", (l) => l.level], ["Rate", (l) => l.rate],
        ["Amount", (l) => `${l.amount} ${l.currency}`], ["Kind", (l) => l.kind]], s.lines, "No lines in this run.");
    };
    select.addEventListener("change", () => show().catch(showError));
    await show();
  },

  async vip() {
    const top = await api("/referrers/top?limit=100");
    const columns = [["Member", (r) => memberLink(r.id)], ["Tier", (r) => r.tier], ["Score", (r) => r.score.toFixed(3)],
      ["Direct recruits", (r) => r.components.direct_recruits], ["Downline", (r) => r.components.downline_total],
      ["Active downline", (r) => r.components.active_downline], ["Retention", (r) => percent(r.components.retention)],
      ["PageRank", (r) => r.components.pagerank.toExponential(2)]];
    table("referrers", columns, top.items, "No influence run yet: start one on the Runs page.");
    const csv = [["id", "tier", "score", ...Object.keys(top.items[0]?.components || {})].join(",")].concat(
      top.items.map((r) => [r.id, r.tier, r.score, ...Object.values(r.components)].join(",")));
    document.getElementById("csv").href = URL.createObjectURL(new Blob([csv.join("\n") + "\n"], { type: "text/csv" }));
    const board = await api("/leaderboards?by=referrals&period=month&limit=20");
    table("leaderboard", [["Rank", (x) => x.rank], ["Member", (x) => memberLink(x.member_id)], ["Referrals", (x) => x.referrals]],
      board.items, "No approved referrals this month.");
  },

  async compliance() {
    const show = async () => {
      const from = document.getElementById("from").value;
      const to = document.getElementById("to").value;
      const query = `from=${from}&to=${to}`;
      document.getElementById("report").href = `/api/v1/compliance/report?${query}&format=html`;
      const [program, branches] = await Promise.all([api(`/compliance/program?${query}`),
        api(`/compliance/branches?${query}&limit=20`)]);
      table("rules", [["Rule", (c) => c.rule], ["What it checks", (c) => c.description], ["Threshold", (c) => c.threshold],
        ["Observed", (c) => c.observed === null ? "—" : c.observed.toFixed(3)],
        ["Result", (c) => (c.passed === null ? "n/a" : c.passed ? "pass" : "FAIL")], ["Source", (c) => c.source]],
      program.checks);
      table("branches", [["Member", (b) => memberLink(b.member_id)], ["Branch size", (b) => b.branch_size],
        ["Retail customers", (b) => b.distinct_retail_customers],
        ["Recruitment ratio", (b) => (b.recruitment_ratio_unbounded ? "unbounded" : b.recruitment_ratio?.toFixed(2))],
        ["Flags", (b) => b.flags.join(", ")]], branches.items);
    };
    document.getElementById("period").addEventListener("submit", (event) => {
      event.preventDefault();
      show().catch(showError);
    });
    // Open on the latest stored compliance run's period (served from the run, not computed).
    const stored = (await api("/analysis/runs?kind=compliance&status=complete&limit=1")).items[0];
    if (stored) {
      document.getElementById("from").value = day(stored.from);
      document.getElementById("to").value = day(stored.to);
    }
    await show();
  },

  async risk() {
    const showHeld = async () => {
      const held = can("referrals.Referrals GET") ? await api("/referrals?status=held&limit=100") : { items: [] };
      const decide = (id, verb) => () => api(`/referrals/${encodeURIComponent(id)}/${verb}`, { method: "POST" })
        .then(showHeld).catch(showError);
      table("held", [["Member", (r) => memberLink(r.member_id)], ["Sponsor", (r) => memberLink(r.sponsor_id)],
        ["Joined", (r) => day(r.joined_at)], ["Reasons", (r) => r.reasons.join(", ")],
        ["Decision", (r) => el("span", {}, el("button", { onclick: decide(r.member_id, "approve") }, "Approve"), " ",
          el("button", { onclick: decide(r.member_id, "reject") }, "Reject"))]], held.items, "No referral is held.");
    };
    const [rings, cycles] = await Promise.all([api("/rings?limit=50"), api("/cycles")]);
    table("rings", [["Ring", (r) => el("a", { href: "#", onclick: (e) => { e.preventDefault(); showRing(r.id).catch(showError); } }, r.id.slice(0, 10))],
      ["Score", (r) => r.score.toFixed(2)], ["Members", (r) => r.size], ["Shares", (r) => r.shared.map((s) => s.kind).join(", ")],
      ["Reasons", (r) => r.reasons.join("; ")], ["Review", (r) => r.review?.status ?? (r.new ? "new" : "—")]],
    rings.items, "No rings run yet, or nothing found.");
    table("cycles", [["Members in the cycle", (c) => c.members.join(" → ")]], cycles.cycles, "No referral cycle.");
    await showHeld();
  },

  async runs() {
    const show = async () => {
      const [commission, analysis] = await Promise.all([
        can("commission_runs.CommissionRuns GET") ? api("/commission-runs?limit=20") : { items: [] },
        api("/analysis/runs?limit=20")]);
      table("commission-runs", COMMISSION_RUN_COLUMNS, commission.items);
      table("analysis-runs", ANALYSIS_RUN_COLUMNS, analysis.items);
      if ([...commission.items, ...analysis.items].some((r) => r.status === "running" || r.status === "pending")) {
        setTimeout(() => show().catch(showError), 2000);  // progress, while something runs
      }
    };
    const commissions = document.getElementById("start-commissions");
    commissions.hidden = !can("commission_runs.CommissionRuns POST");
    if (!commissions.hidden) {
      const plans = await api("/plans?limit=100");
      document.getElementById("plan").replaceChildren(...plans.items.map((p) => el("option", { value: p.id }, `${p.id} v${p.version}`)));
    }
    commissions.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { plan_id: document.getElementById("plan").value, from: document.getElementById("run-from").value,
        to: document.getElementById("run-to").value };
      api("/commission-runs", { method: "POST", body: JSON.stringify(body) }).then(show).catch(showError);
    });
    const start = document.getElementById("start");
    start.hidden = !can("analysis_runs.AnalysisRuns POST");
    start.addEventListener("submit", (event) => {
      event.preventDefault();
      api("/analysis/runs", { method: "POST", body: JSON.stringify({ kind: document.getElementById("kind").value }) })
        .then(show).catch(showError);
    });
    await show();
  },
};

// -- the genealogy tree ----------------------------------------------------------------------
// One level at a time: clicking a member loads its direct recruits, PAGE_SIZE at a time,
// behind a "more…" node; the server pages, so a member with 10k recruits stays responsive.
let cy = null;

function graph(container) {
  return cytoscape({
    container,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "data(colour)",
        width: 14, height: 14, "text-valign": "bottom" } },
      { selector: "node.more", style: { shape: "round-rectangle", "background-color": "#90a4ae", width: 40 } },
      { selector: "edge", style: { width: 1, "line-color": "#b0bec5", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "target-arrow-color": "#b0bec5", "arrow-scale": 0.6 } },
    ],
    layout: { name: "preset" },
    wheelSensitivity: 0.3,
  });
}

function layout() {
  cy.layout({ name: "breadthfirst", directed: true, roots: cy.nodes().roots(), spacingFactor: 1.1, animate: false }).run();
}

async function drawTree(memberId) {
  if (!memberId) return;
  const id = encodeURIComponent(memberId);
  const member = await api(`/members/${id}`);
  // The counts per level and the upline load while the recruits are drawn.
  const around = Promise.all([api(`/members/${id}/downline?depth=10&limit=1`).then((d) => levels("levels", d)),
    breadcrumb(memberId)]);
  cy?.destroy();
  cy = graph(document.getElementById("tree"));
  window.graphsvcTree = cy;  // for the browser tests and the curious
  cy.add({ data: { id: member.id, label: `${member.id} (${member.direct_recruits})`, colour: STATUS_COLOURS[member.status] } });
  cy.on("tap", "node", (event) => expand(event.target).catch(showError));
  cy.on("dbltap", "node", (event) => {
    if (!event.target.hasClass("more")) window.location = `/ui/members/${encodeURIComponent(event.target.id())}`;
  });
  await Promise.all([expand(cy.getElementById(member.id)), around]);
}

async function expand(node) {
  const more = node.hasClass("more");
  const parent = more ? node.data("parent") : node.id();
  const cursor = more ? node.data("cursor") : null;
  if (!more && node.data("expanded")) return;
  node.data("expanded", true);
  const page = await api(`/members/${encodeURIComponent(parent)}/downline?depth=1&limit=${PAGE_SIZE}` +
    (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""));
  cy.batch(() => {  // one redraw for the page, not one per member
    if (more) cy.remove(node);
    cy.add(page.items.flatMap((m) => [
      { data: { id: m.id, label: m.id, colour: STATUS_COLOURS[m.status] } },
      { data: { id: `${parent}->${m.id}`, source: parent, target: m.id } },
    ]));
    if (page.next_cursor) {
      const id = `more:${parent}:${page.next_cursor}`;
      const shown = cy.edges(`[source = "${parent}"]`).length;
      cy.add([{ data: { id, label: `more… (${shown} of ${page.total})`, parent: parent, cursor: page.next_cursor, colour: "#90a4ae" }, classes: "more" },
        { data: { id: `${parent}->${id}`, source: parent, target: id } }]);
    }
  });
  layout();
}

async function showRing(ringId) {
  const ring = await api(`/rings/${encodeURIComponent(ringId)}`);
  document.getElementById("ring").hidden = false;
  document.getElementById("ring-title").textContent =
    `Ring ${ring.id.slice(0, 10)}: score ${ring.score.toFixed(2)}, shares ${ring.shared.map((s) => `${s.kind} (${s.count})`).join(", ")}`;
  table("ring-members", [["Member", (m) => memberLink(m.id)], ["Sponsor", (m) => m.sponsor_id], ["Joined", (m) => m.joined_at?.slice(0, 19)],
    ["Status", (m) => m.status]], ring.members);
  const inside = new Set(ring.members.map((m) => m.id));
  const ringGraph = graph(document.getElementById("ring-graph"));
  ringGraph.add(ring.members.map((m) => ({ data: { id: m.id, label: m.id, colour: STATUS_COLOURS[m.status] || "#607d8b" } })));
  ringGraph.add(ring.members.filter((m) => inside.has(m.sponsor_id))
    .map((m) => ({ data: { id: `${m.sponsor_id}->${m.id}`, source: m.sponsor_id, target: m.id } })));
  ringGraph.layout({ name: "circle", animate: false }).run();
}

if (pages[PAGE]) pages[PAGE]().catch(showError);
