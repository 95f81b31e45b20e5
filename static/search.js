// The search page: Pagefind in the browser, with queries converted to the
// page's script first (tables made at build time from the content), facets
// with counts, and the query and filters kept in the URL.

const root = document.getElementById("search");
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const facetsBox = document.getElementById("facets");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("more-results");
const FACETS = ["source", "category", "topic", "unit"];
const PAGE = 20;

let pagefind, tables, shown = 0, results = [];
// Each run takes a number; a run that a newer one overtook (a quick second
// query, the Back button) stops at its next await instead of overwriting.
let latest = 0;

// Character conversion: a map, and for characters with more than one
// counterpart, the neighbour that decides (as in the content).
function convert(text, table) {
  const chars = Array.from(text);
  return chars.map((c, i) =>
    table.next[c + (chars[i + 1] || "")] || table.prev[(chars[i - 1] || "") + c] || table.map[c] || c
  ).join("");
}

export function toPageScript(query) {
  return convert(convert(query, tables.toSimplified), tables.fromSimplified);
}

const CHINESE = /[\u3400-\u9fff]/;
const MAX_CHECKED = 100;
const fragments = new Map();

function load(result) {
  if (!fragments.has(result.id)) fragments.set(result.id, result.data());
  return fragments.get(result.id);
}

// A Chinese query without spaces means that exact string, as Ctrl-F would:
// search it as a phrase (the words Pagefind cuts it into must stand
// together). Where the index cut a page's text differently, the phrase
// misses it; so the pages the plain word search adds are checked for the
// string itself, and kept if they hold it. With spaces, each part is
// matched on its own.
async function find(query, filters) {
  if (!query || !CHINESE.test(query) || /[\s"]/.test(query)) {
    return pagefind.search(query || null, { filters });
  }
  const [exact, words] = await Promise.all([
    pagefind.search(`"${query}"`, { filters }), pagefind.search(query, { filters })]);
  const known = new Set(exact.results.map(r => r.id));
  const extra = words.results.filter(r => !known.has(r.id)).slice(0, MAX_CHECKED);
  const data = await Promise.all(extra.map(load));
  const found = extra.filter((_, i) => data[i].content.replace(/\s+/g, "").includes(query));
  return { results: exact.results.concat(found), filters: exact.filters };
}

function text(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const facet of FACETS) {
    const values = params.getAll(facet);
    if (values.length) filters[facet] = values;
  }
  return { q: (params.get("q") || "").trim(), filters };
}

function writeState(state, push) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [facet, values] of Object.entries(state.filters)) values.forEach(v => params.append(facet, v));
  const url = location.pathname + (params.toString() ? "?" + params : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
}

function currentState() {
  const filters = {};
  for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ||= []).push(box.value);
  }
  return { q: input.value.trim(), filters };
}

function renderFacets(all, counts, state) {
  for (const facet of FACETS) {
    const values = Object.keys(all[facet] || {}).sort((a, b) => a.localeCompare(b, document.documentElement.lang));
    let fieldset = facetsBox.querySelector(`fieldset[data-facet="${facet}"]`);
    if (!fieldset) {
      fieldset = document.createElement("fieldset");
      fieldset.dataset.facet = facet;
      const legend = document.createElement("legend");
      legend.textContent = root.dataset["facet" + facet[0].toUpperCase() + facet.slice(1)];
      fieldset.append(legend);
      values.forEach((value, i) => {
        const id = `f-${facet}-${i}`;
        const label = document.createElement("label");
        label.htmlFor = id;
        const box = Object.assign(document.createElement("input"), { type: "checkbox", id, name: facet, value });
        const count = document.createElement("span");
        count.className = "count";
        label.append(box, " " + value + " ", count);
        fieldset.append(label);
      });
      facetsBox.insertBefore(fieldset, document.getElementById("clear-filters"));
    }
    for (const box of fieldset.querySelectorAll("input")) {
      box.checked = (state.filters[facet] || []).includes(box.value);
      const n = counts?.[facet]?.[box.value] ?? all[facet][box.value] ?? 0;
      box.nextSibling.nextSibling.textContent = `(${n})`;
    }
  }
  facetsBox.hidden = false;
}

async function run(state, push) {
  const mine = ++latest;
  const current = () => mine === latest;
  input.value = state.q;
  writeState(state, push);
  const filters = {};
  for (const [facet, values] of Object.entries(state.filters)) filters[facet] = { any: values };
  if (!state.q && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = root.dataset.prompt;
    const all = await pagefind.filters();
    if (current()) renderFacets(all, null, state);
    return;
  }
  status.textContent = root.dataset.loading;
  const search = await find(state.q && toPageScript(state.q), filters);
  const all = await pagefind.filters();
  if (!current()) return;
  results = search.results;
  shown = 0;
  list.replaceChildren();
  renderFacets(all, search.filters, state);
  status.textContent = results.length
    ? text(root.dataset.found, { n: results.length })
    : text(root.dataset.none, { q: state.q });
  await showMore(mine);
}

async function showMore(mine = latest) {
  const batch = await Promise.all(results.slice(shown, shown + PAGE).map(load));
  if (mine !== latest) return;
  for (const data of batch) {
    const item = document.createElement("li");
    const link = Object.assign(document.createElement("a"), { href: data.url, textContent: data.meta.title });
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${data.meta.source} · ${text(root.dataset.number, { n: data.meta.number })}`;
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.innerHTML = data.excerpt; // Pagefind escapes the text; only <mark> is markup
    item.append(link, meta, excerpt);
    list.append(item);
  }
  shown += batch.length;
  more.hidden = shown >= results.length;
}

async function start() {
  try {
    // The index comes in bundles (a large handbook's is cut so that an edit
    // re-indexes one): the first is loaded, the others merged into it.
    const [first, ...others] = root.dataset.bundles.split(" ");
    pagefind = await import(first + "pagefind.js");
    await pagefind.options({ baseUrl: root.dataset.base });
    await Promise.all(others.map(bundle => pagefind.mergeIndex(bundle, { baseUrl: root.dataset.base })));
    tables = await (await fetch(root.dataset.tables)).json();
  } catch (error) {
    status.textContent = root.dataset.error;
    throw error;
  }
  form.addEventListener("submit", event => { event.preventDefault(); run(currentState(), true); });
  facetsBox.addEventListener("change", () => run(currentState(), true));
  document.getElementById("clear-filters").addEventListener("click", () => run({ q: input.value.trim(), filters: {} }, true));
  more.addEventListener("click", async () => {
    const first = shown;
    await showMore();
    list.children[first]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => run(readState(), false));
  await run(readState(), false);
  root.dataset.ready = "true";
}

start();
