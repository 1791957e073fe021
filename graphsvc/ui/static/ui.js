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

// Horizontal bars, one per [label, count], scaled to the largest, with the unit under them.
function bars(id, rows, unit) {
  const peak = Math.max(1, ...rows.map(([, n]) => n));
  document.getElementById(id).replaceChildren(...rows.flatMap(([label, n]) => [
    el("span", {}, label), el("div", { class: "bar", style: `width: ${(100 * n) / peak}%`, title: `${label}: ${n}` }),
    el("strong", {}, n.toLocaleString("en"))]), el("span", { class: "axis" }, `0 – ${peak.toLocaleString("en")} ${unit}`));
}

// A ratio as the API gives it: the value (as a share or a plain number), what it is made of, or why it is empty.
function ratio(r, asShare = true) {
  if (!r) return "—";
  if (r.value === null) return `— (${r.reason})`;
  return `${asShare ? percent(r.value) : r.value.toFixed(2)} (${r.numerator} ÷ ${r.denominator})`;
}
const perCurrency = (amounts) => Object.entries(amounts || {}).map(([c, a]) => `${a} ${c}`).join(", ") || "—";

// The newest complete analysis run of a kind: its period is served from what it stored.
const latestRun = async (kind) => (await api(`/analysis/runs?kind=${kind}&status=complete&limit=1`)).items[0];

// A page over a period: its form redraws it with `show`; it opens on the period of the
// latest stored run of `kind` (served from the run, where another period is computed).
async function periodPage(kind, show) {
  document.getElementById("period").addEventListener("submit", (event) => {
    event.preventDefault();
    show().catch(showError);
  });
  const stored = await latestRun(kind);
  if (stored) {
    document.getElementById("from").value = day(stored.from);
    document.getElementById("to").value = day(stored.to);
  }
  await show();
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
    // Sales and programme figures from the latest stored compliance and KPI runs' periods: served
    // from what the runs stored, where another period would be computed over the whole network.
    const [compliance, kpis] = await Promise.all([
      can("compliance.Program GET") ? latestRun("compliance") : null, can("kpis.Kpis GET") ? latestRun("kpis") : null]);
    const more = [];
    if (compliance) {
      const program = await api(`/compliance/program?from=${day(compliance.from)}&to=${day(compliance.to)}`);
      const volume = (kind) => `${program.volumes[kind]} ${program.currency}`;
      more.push([`Retail sales, ${day(compliance.from)} – ${day(compliance.to)}`, volume("retail")],
        ["Members' own purchases", volume("personal")],
        ["Enrollment kits + inventory", `${program.volumes.enrollment} + ${volume("inventory")}`],
        ["End-user share of commissions", percent(program.end_user_commission_share)]);
    }
    if (kpis) {
      const h = (await api(`/kpis?from=${day(kpis.from)}&to=${day(kpis.to)}`)).headline;
      more.push([`Participation, ${day(kpis.from)} – ${day(kpis.to)}`, ratio(h.participation_rate)],
        ["Referral rate", ratio(h.referral_rate)], ["Click → signup", ratio(h.click_to_signup)]);
    }
    if (more.length) figures("figures", [...more, ...shown]);
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
      ["Active downline", (r) => r.components.active_downline], ["Sales below", (r) => perCurrency(r.components.downline_sales)],
      ["Retention", (r) => percent(r.components.retention)], ["PageRank", (r) => r.components.pagerank.toExponential(2)]];
    table("referrers", columns, top.items, "No influence run yet: start one on the Runs page.");
    // One column per figure; sales below as "amount currency" pairs in one cell.
    const fields = ["direct_recruits", "downline_total", "active_downline", "retention", "pagerank"];
    const csv = [["id", "tier", "score", ...fields, "downline_sales"].join(",")].concat(top.items.map((r) =>
      [r.id, r.tier, r.score, ...fields.map((f) => r.components[f]), `"${perCurrency(r.components.downline_sales)}"`].join(",")));
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
    await periodPage("compliance", show);
  },

  async kpis() {
    const show = async () => {
      const query = `from=${document.getElementById("from").value}&to=${document.getElementById("to").value}`;
      const by = document.getElementById("by").value;
      document.getElementById("report").href = `/api/v1/kpis/report?${query}&format=html`;
      const k = await api(`/kpis?${query}&by=${by}`);
      const h = k.headline;
      document.getElementById("source").textContent = k.run_id ? `from KPI run ${k.run_id.slice(0, 8)}` : "computed now";
      const cost = (x) => Object.entries(x.cost || {}).map(([c, parts]) => `${parts.total} ${c}`).join(", ") || "—";
      const cac = (x) => Object.entries(x.cac || {}).map(([c, v]) => (v.value === null ? "—" : `${v.value} ${c}`)).join(", ") || "—";
      const roi = (x) => Object.entries(x.roi || {}).map(([c, r]) => `${ratio(r)} ${c}`).join(", ") || "—";
      figures("kpi-figures", [
        ["Active members at the end", h.active_members.toLocaleString("en")],
        ["Participation (shared ÷ active)", ratio(h.participation_rate)],
        ["Share-through (visitors per sharer)", ratio(h.share_through, false)],
        ["Click → signup", ratio(h.click_to_signup)], ["Signup → first order", ratio(h.signup_to_first_order)],
        ["Referral rate", ratio(h.referral_rate)], ["Referred members' sales", perCurrency(h.referred_sales)],
        ["Programme cost", cost(h)], ["CAC per referred member", cac(h)], ["ROI", roi(h)],
        ["At risk (their downline)", `${h.at_risk} (${h.at_risk_downline})`]]);
      bars("funnel", [["Clicks", h.clicks], ["Unique visitors", h.unique_visitors], ["Signups via a click", h.signups_by_click],
        ["Referred signups (click or code)", h.referred_signups], ["First orders in the window", h.first_orders]],
      "clicks, visitors or members");
      document.getElementById("groups-title").textContent = `By ${by}`;
      const funnelColumns = [[by[0].toUpperCase() + by.slice(1), (g) => g.key ?? "(none)"], ["Clicks", (g) => g.clicks],
        ["Visitors", (g) => g.unique_visitors], ["Sharers", (g) => g.sharers], ["Referred signups", (g) => g.referred_signups],
        ["Click → signup", (g) => ratio(g.click_to_signup)], ["Signup → first order", (g) => ratio(g.signup_to_first_order)],
        ["Referred sales", (g) => perCurrency(g.referred_sales)]];
      const monthColumns = [["Participation", (g) => ratio(g.participation_rate)], ["Referral rate", (g) => ratio(g.referral_rate)],
        ["Cost", cost], ["CAC", cac], ["ROI", roi]];
      table("groups", by === "month" ? [...funnelColumns, ...monthColumns] : funnelColumns, k.groups);
      const width = k.cohorts.length;
      const shade = (r) => el("td", { style: `background: rgba(31, 58, 147, ${r.value ?? 0})`, class: r.value > 0.5 ? "dark" : "" },
        r.value === null ? "—" : percent(r.value));
      const heat = document.getElementById("retention");
      heat.replaceChildren(el("tr", {}, el("th", {}, "Cohort"), ...Array.from({ length: width }, (_, i) => el("th", {}, `+${i}`))));
      for (const c of k.cohorts) {
        for (const part of ["referred", "not_referred"]) {
          const cells = c.retention[part].map(shade);
          heat.append(el("tr", {}, el("th", {}, `${c.month} ${part.replace("_", " ")} (${c.clv[part].members})`), ...cells));
        }
      }
      const clv = (part) => (c) => (c.clv[part].members ? perCurrency(c.clv[part].per_member) : "—");
      table("cohorts", [["Cohort", (c) => c.month], ["Members", (c) => c.members], ["Referred", (c) => c.referred],
        ["First-year revenue per referred member", clv("referred")], ["… per other member", clv("not_referred")],
        ["K within 30 days", (c) => ratio(c.k["30d"], false)], ["K within 90 days", (c) => ratio(c.k["90d"], false)],
        ["Cascade depth / widest level / size", (c) => `${c.cascade.depth} / ${c.cascade.widest_level} / ${c.cascade.size}`]],
      k.cohorts);
      const risk = can("kpis.AtRisk GET") ? await api(`/kpis/at-risk?${query}&limit=20`) : { items: [] };
      table("at-risk", [["Member", (m) => memberLink(m.member_id)], ["Sponsor", (m) => memberLink(m.sponsor_id)],
        ["Sponsor is", (m) => `${m.sponsor_status} since ${day(m.sponsor_status_since)}`], ["Downline", (m) => m.downline_total],
        ["Sales in the period", (m) => perCurrency(m.sales)]], risk.items, "No sponsor stopped in this period.");
    };
    await periodPage("kpis", show);
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
      if ([...commission.items, ...analysis.items].some((r) => ["queued", "running", "pending"].includes(r.status))) {
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
    const kind = document.getElementById("kind");
    const overPeriod = () => ["compliance", "kpis"].includes(kind.value);
    kind.addEventListener("change", () => { document.getElementById("analysis-period").hidden = !overPeriod(); });
    start.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = { kind: kind.value };
      if (overPeriod()) Object.assign(body, { from: document.getElementById("analysis-from").value,
        to: document.getElementById("analysis-to").value });
      api("/analysis/runs", { method: "POST", body: JSON.stringify(body) }).then(show).catch(showError);
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
