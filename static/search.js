// The search page: Pagefind in the browser. A query is normalised (full-width
// letters and digits, case, marks around it), converted to the page's script
// (tables made at build time from the content), and widened through the
// termbase to the words the text uses (智慧財產權 -> 知識產權); facets count the
// results; the query, the filters and "exact" live in the URL.

const root = document.getElementById("search");
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const facetsBox = document.getElementById("facets");
const groups = facetsBox.querySelector(".facet-groups");
const chosen = document.getElementById("facets-chosen");
const status = document.getElementById("search-status");
const notes = document.getElementById("search-notes");
const list = document.getElementById("search-results");
const more = document.getElementById("more-results");
const FACETS = ["source", "category", "topic", "unit", "status"];
const PAGE = 20;
const MAX_CHECKED = 100; // results of a component search looked at one by one (checked, or counted)
const MAX_VARIANTS = 8; // searches one query may become
const EXCERPT = 30; // characters of official text before the first match (and about twice that after it)

let pagefind, tables, words, shown = 0, results = [], marks = [];
// Each run takes a number; a run that a newer one overtook (a quick second
// query, the Back button) stops at its next await instead of overwriting.
let latest = 0;

// --- the query -------------------------------------------------------------

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

const EDGE_MARKS = /^[\s"'“”‘’「」『』《》〈〉()（）\[\]【】,，.。!！?？、;；:：·…—-]+|[\s"'“”‘’「」『』《》〈〉()（）\[\]【】,，.。!！?？、;；:：·…—-]+$/g;

// As typed on any keyboard: full-width letters and digits (ＣＢＤ, １２３４５) become
// ASCII, letters lower case, marks around the query and runs of spaces go.
export function normalise(query) {
  return query.normalize("NFKC").toLowerCase().replace(EDGE_MARKS, "").replace(/\s+/g, " ").trim();
}

// The termbase's words in a part of a query (longest first, anywhere in it),
// each read as the form the text writes: 智慧財產權保護 -> 知識產權保護. A word the
// text itself writes (跨境通, 营业执照) is matched as typed, so precision does not
// fall where a reader types the text's own words; the terms it names are
// offered as related words instead.
const LATIN = /[a-z0-9]/;

function widened(part, related) {
  const keys = words.keys, longest = words.longest;
  const found = [];
  const chars = Array.from(part);
  for (let i = 0; i < chars.length;) {
    let hit = null;
    for (let n = Math.min(longest, chars.length - i); n > 1 && !hit; n--) {
      const key = chars.slice(i, i + n).join("");
      // a key in Latin letters is a whole word of the query: ip is no key in equipment, ai none in maintain
      const inWord = LATIN.test(chars[i]) && LATIN.test(chars[i - 1] || "")
        || LATIN.test(chars[i + n - 1]) && LATIN.test(chars[i + n] || "");
      if (keys.has(key) && !inWord) hit = { start: i, end: i + n, key, terms: keys.get(key) };
    }
    if (!hit) { i++; continue; }
    if (words.written.has(hit.key)) hit.terms.forEach(t => related.add(t));
    else found.push(hit);
    i = hit.end;
  }
  let variants = [""];
  let at = 0;
  for (const hit of found) {
    const before = chars.slice(at, hit.start).join("");
    const typed = chars.slice(hit.start, hit.end).join("");
    const forms = [typed, ...new Set(hit.terms.flatMap(t => words.forms[t]))];
    variants = variants.flatMap(v => forms.map(form => v + before + form)).slice(0, MAX_VARIANTS);
    at = hit.end;
  }
  const rest = chars.slice(at).join("");
  return variants.map(v => v + rest);
}

// The English edition writes British spelling and Macao; a reader may type American (license,
// labor, optimize, center) or Macau. Each word is also searched as the text spells it.
const SPELLINGS = [
  [/\bmacau\b/g, "macao"],
  [/\b(\w{3,})([iy])z(e|es|ed|ing|ation|ations)\b/g, "$1$2s$3"],
  [/\blicense(s?)\b/g, "licence$1"],
  [/\b(lab|fav|behavi|harb|hon|neighb)or(s|ed|ing)?\b/g, "$1our$2"],
  [/\bcenter(s?)\b/g, "centre$1"],
  [/\bprogram(s?)\b/g, "programme$1"],
  [/\b(defen|offen)se\b/g, "$1ce"],
  [/\bcatalog(s?)\b/g, "catalogue$1"],
];
export function textSpelling(query) {
  return SPELLINGS.reduce((text, [pattern, spelling]) => text.replace(pattern, spelling), query);
}

// The searches a query becomes: what was typed, in the page's script, first;
// then with each of its termbase words read as the text writes it.
function plan(query, exact) {
  if (!exact && document.documentElement.lang === "en" && textSpelling(query) !== query) {
    const own = plan(query, true), spelt = plan(textSpelling(query), false);
    return { ...spelt, searches: [...new Set([...own.searches, ...spelt.searches])].slice(0, MAX_VARIANTS),
             searched: [...new Set([textSpelling(query), ...spelt.searched])] };
  }
  const typed = toPageScript(query);
  const related = new Set();
  if (exact || !words) return { searches: [typed], searched: [], related: [] };
  const parts = query.split(" ").map(part =>
    [...new Set([...widened(part, related), ...widened(toPageScript(part), related)].map(toPageScript))]);
  let combos = [[]];
  for (const options of parts) combos = combos.flatMap(c => options.map(o => c.concat(o))).slice(0, MAX_VARIANTS);
  // A term of several words (company registration, "customs clearance") is a key without its spaces.
  const joined = query.includes(" ") ? widened(query.replace(/ /g, ""), related).slice(1) : [];
  const searches = [...new Set([typed, ...joined, ...combos.map(c => c.join(" "))])].slice(0, MAX_VARIANTS);
  const typedWords = typed.split(" ");
  // what else was searched: in English whole phrases (intellectual property), in Chinese the words
  const searched = ENGLISH ? searches.slice(1).filter(s => s !== typed)
    : [...new Set(searches.slice(1).flatMap(s => s.split(" ")))].filter(w => !typedWords.includes(w));
  const shown = new Set([...searches, ...searches.flatMap(s => s.split(" "))]);  // a term searched is not "related"
  return { searches, searched, related: [...related].filter(t => !shown.has(words.forms[t][0])) };
}

// --- Pagefind ----------------------------------------------------------------

const CHINESE = /[\u3400-\u9fff]/;
const LIST_SEPARATOR = document.documentElement.lang.startsWith("zh") ? "、" : ", ";
const LITERAL = /[^\p{L}\s]/u; // digits and symbols: 1+3+4, 7x24, 12345 mean that string
const fragments = new Map();

function load(result) {
  if (!fragments.has(result.id)) fragments.set(result.id, result.data());
  return fragments.get(result.id);
}

// For comparing a literal query with a page's text: no spaces, one case, × read as x (7x24, 7×24).
function compact(text) {
  return text.normalize("NFKC").replace(/\s+/g, "").toLowerCase().replace(/×/g, "x");
}

// One search. A Chinese query without spaces means that exact string, as
// Ctrl-F would: it is searched as a phrase, and where the index cut a page's
// text differently the pages the plain word search adds are checked for the
// string itself. A query of digits and symbols is that string too: Pagefind
// matches each number in it, so every page it returns is checked. With
// spaces, each part is matched on its own.
async function find(query, filters) {
  if (!query) {
    const all = await pagefind.search(null, { filters });
    return { results: all.results, filters: all.filters, checked: [] };
  }
  const spaced = /\s/.test(query);
  if (ENGLISH && !CHINESE.test(query) && !LITERAL.test(query)) return findWords(query, filters);
  if (spaced || (!CHINESE.test(query) && !LITERAL.test(query))) {
    const found = await pagefind.search(query, { filters });
    return { results: found.results, filters: found.filters, checked: [] };
  }
  const literal = !CHINESE.test(query);
  // A literal query's candidates: the pages that hold its letters and numbers, whatever stands between.
  const loosely = literal ? query.replace(/[^\p{L}\p{N}]+/gu, " ").trim() || query : query;
  const [exact, loose] = await Promise.all([
    literal ? Promise.resolve({ results: [], filters: null }) : pagefind.search(`"${query}"`, { filters }),
    pagefind.search(loosely, { filters })]);
  const known = new Set(exact.results.map(r => r.id));
  const extra = loose.results.filter(r => !known.has(r.id)).slice(0, MAX_CHECKED);
  const data = await Promise.all(extra.map(load));
  const wanted = compact(query);
  const checked = extra.filter((_, i) => compact(data[i].content).includes(wanted));
  // Pagefind gives every phrase match the same score; the word search ranks them (title and topic
  // weigh more, and how often the words stand), so the phrase matches take its order.
  const rank = new Map(loose.results.map((r, i) => [r.id, i]));
  const ordered = exact.results.map((r, i) => [rank.get(r.id) ?? loose.results.length + i, r]).sort((a, b) => a[0] - b[0]);
  return { results: ordered.map(([, r]) => r).concat(checked), filters: exact.filters, checked };
}

// English words. Pagefind's stemmer gives customs and customised, settling and settlement one stem,
// and matches a query's words anywhere on a page. The pages it returns are read (as a literal query's
// are) and kept if they write the words as typed, inflected (licence, licences; company, companies)
// and next to each other (special equipment); else if they write each of them somewhere. A page
// that writes none of them as typed was found by its stem only (customised for customs): it is left out.
const ENGLISH = document.documentElement.lang === "en";

function inflected(word) {
  const escape = w => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const base = word.replace(/(?:ies|es|s|ed|ing|e|y)$/, "");
  const forms = [...new Set([word, base.length >= 3 ? base : word])].map(escape);
  return `(?:${forms.join("|")})(?:e|es|s|ed|ing|y|ies)?`;
}

function wordsPattern(words) {
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.map(inflected).join("[\\s\\-]+")}(?![\\p{L}\\p{N}])`, "iu");
}

async function findWords(query, filters) {
  const found = await pagefind.search(query, { filters });
  const looked = found.results.slice(0, MAX_CHECKED);
  const texts = (await Promise.all(looked.map(load))).map(data => data.content);
  const words = query.split(/[\s\-]+/).filter(Boolean);
  const together = wordsPattern(words), each = words.map(w => wordsPattern([w]));
  let kept = looked.filter((_, i) => together.test(texts[i]));
  if (!kept.length) kept = looked.filter((_, i) => each.every(pattern => pattern.test(texts[i])));
  return { results: kept, filters: null, checked: kept };
}

// Every search of the plan, merged. The search that finds most leads, in
// its own order (a title match first, then the topic's measures, then passing
// mentions); what the others add follows. Facets count what is shown: the
// counts of the leading search, plus each result it did not find.
async function searchAll(searches, filters) {
  const found = await Promise.all(searches.map(s => find(s, filters)));
  const base = found.reduce((a, b) => ((b.results.length - b.checked.length) > (a.results.length - a.checked.length) ? b : a));
  const merged = [], seen = new Set();
  for (const f of [base, ...found]) {
    for (const r of f.results) if (!seen.has(r.id)) { seen.add(r.id); merged.push(r); }
  }
  const counted = new Set(base.results.filter(r => !base.checked.includes(r)).map(r => r.id));
  const counts = structuredClone(base.filters || (await pagefind.filters()));
  if (!base.filters) for (const facet of Object.keys(counts)) for (const v of Object.keys(counts[facet])) counts[facet][v] = 0;
  const others = merged.filter(r => !counted.has(r.id)).slice(0, MAX_CHECKED);
  for (const data of await Promise.all(others.map(load))) {
    for (const [facet, values] of Object.entries(data.filters || {})) {
      counts[facet] ||= {};
      for (const value of values) counts[facet][value] = (counts[facet][value] || 0) + 1;
    }
  }
  return { results: merged, filters: counts };
}

// --- the page ----------------------------------------------------------------

function text(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");
}

// Filters travel in the address by id (topic=digital-government), the same in every edition, so the
// edition switch keeps them; the index filters by name, in the edition's script or language.
const NAMES = JSON.parse(root.dataset.facetIds || "{}");  // facet -> id -> name
const IDS = Object.fromEntries(Object.entries(NAMES).map(
  ([facet, names]) => [facet, Object.fromEntries(Object.entries(names).map(([id, name]) => [name, id]))]));

function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const facet of FACETS) {
    const values = params.getAll(facet).map(v => NAMES[facet]?.[v] ?? v);  // a name, from an older link, also works
    if (values.length) filters[facet] = values;
  }
  return { q: (params.get("q") || "").trim(), filters, exact: params.get("exact") === "1" };
}

function writeState(state, push) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.exact) params.set("exact", "1");
  for (const [facet, values] of Object.entries(state.filters)) values.forEach(v => params.append(facet, IDS[facet]?.[v] ?? v));
  const url = location.pathname + (params.toString() ? "?" + params : "");
  if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  keepInSwitch();
}

// The edition switch goes to the same search, with the same filters, in the other edition.
function keepInSwitch() {
  for (const link of document.querySelectorAll(".variants a[data-variant]")) {
    const target = new URL(link.href, location.href);
    target.search = location.search;
    link.href = target.href;
  }
}

function currentState(exact = false) {
  const filters = {};
  for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ||= []).push(box.value);
  }
  return { q: input.value.trim(), filters, exact };
}

function renderFacets(all, counts, state) {
  for (const facet of FACETS) {
    const values = Object.keys(all[facet] || {}).sort((a, b) => a.localeCompare(b, document.documentElement.lang));
    if (!values.length) continue;  // a filter no page has: status, while no measure declares one
    let fieldset = groups.querySelector(`fieldset[data-facet="${facet}"]`);
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
      groups.append(fieldset);
    }
    for (const box of fieldset.querySelectorAll("input")) {
      box.checked = (state.filters[facet] || []).includes(box.value);
      const n = counts ? (counts[facet]?.[box.value] ?? 0) : (all[facet]?.[box.value] ?? 0);
      box.nextSibling.nextSibling.textContent = `(${n})`;
    }
  }
  const n = Object.values(state.filters).reduce((sum, values) => sum + values.length, 0);
  chosen.textContent = n ? text(root.dataset.chosen, { n }) : "";
  if (n) facetsBox.open = true;
  facetsBox.hidden = false;
}

function link(label, href) {
  return Object.assign(document.createElement("a"), { textContent: label, href });
}

function searchLink(q, exact = false) {
  const params = new URLSearchParams({ q });
  if (exact) params.set("exact", "1");
  return location.pathname + "?" + params;
}

// "Also searched: 知識產權", with the way back to what was typed alone; and the
// related words of a word the text writes, as links.
function noteWidened(state, searched, related) {
  if (state.exact) {
    const p = document.createElement("p");
    p.append(text(root.dataset.onlyDone, { q: state.q }), link(root.dataset.widen, searchLink(state.q)));
    notes.append(p);
  } else if (searched.length) {
    const p = document.createElement("p");
    p.append(text(root.dataset.also, { terms: searched.join(LIST_SEPARATOR) }),
             link(text(root.dataset.only, { q: state.q }), searchLink(state.q, true)));
    notes.append(p);
  }
  if (related.length && results.length) {
    const p = document.createElement("p");
    p.append(root.dataset.related);
    related.slice(0, 6).forEach((t, i) => { if (i) p.append(LIST_SEPARATOR); p.append(link(words.forms[t][0], searchLink(words.forms[t][0]))); });
    notes.append(p);
  }
}

// Nothing found: the termbase's nearest words, and the topics of the measures that write them.
function pairs(s) {
  const chars = Array.from(s);
  return chars.length < 2 ? new Set(chars) : new Set(chars.slice(1).map((c, i) => chars[i] + c));
}

function suggest(query, related) {
  if (!words) return;
  const mine = pairs(compact(query)), scored = new Map(related.map(t => [t, 1]));
  for (const [key, terms] of words.keys) {
    const theirs = pairs(key);
    let common = 0;
    for (const p of mine) if (theirs.has(p)) common++;
    const score = (2 * common) / (mine.size + theirs.size);
    if (score >= 0.4) for (const t of terms) scored.set(t, Math.max(scored.get(t) || 0, score));
  }
  const best = [...scored.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([t]) => t);
  const topics = [...new Set(best.flatMap(t => words.topics[t]))].slice(0, 4);
  if (best.length) {
    const p = document.createElement("p");
    p.append(root.dataset.tryTerms);
    best.forEach((t, i) => { if (i) p.append(LIST_SEPARATOR); p.append(link(words.labels[t], searchLink(words.labels[t]))); });
    notes.append(p);
  }
  if (topics.length) {
    const p = document.createElement("p");
    p.append(root.dataset.tryTopics);
    topics.forEach((t, i) => { if (i) p.append(LIST_SEPARATOR); p.append(link(...words.topicList[t])); });
    notes.append(p);
  }
}

// While a search runs the list says it is busy (aria-busy), so assistive
// technology waits for the whole list instead of reading it half-filled.
async function run(state, push) {
  const mine = ++latest;
  list.setAttribute("aria-busy", "true");
  try {
    await answer(state, push, mine);
  } finally {
    if (mine === latest) list.removeAttribute("aria-busy");  // a newer search clears it itself
  }
}

async function answer(state, push, mine) {
  const current = () => mine === latest;
  input.value = state.q;
  writeState(state, push);
  notes.replaceChildren();
  const filters = {};
  for (const [facet, values] of Object.entries(state.filters)) filters[facet] = { any: values };
  const query = normalise(state.q);
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = root.dataset.prompt;
    const all = await pagefind.filters();
    if (current()) renderFacets(all, null, state);
    return;
  }
  status.textContent = root.dataset.loading;
  const planned = query ? plan(query, state.exact) : { searches: [""], searched: [], related: [] };
  const [search, all] = await Promise.all([searchAll(planned.searches, filters), pagefind.filters()]);
  if (!current()) return;
  results = search.results;
  marks = [...new Set(planned.searches.flatMap(s => s.split(" ")).filter(Boolean))];
  shown = 0;
  list.replaceChildren();
  renderFacets(all, search.filters, state);
  status.textContent = results.length
    ? text(root.dataset.found, { n: results.length })
    : text(root.dataset.none, { q: state.q });
  noteWidened(state, results.length ? planned.searched : [], planned.related);
  if (!results.length && query) suggest(query, planned.related);
  await showMore(mine);
}

// The excerpt: official text only, around the first match, every match marked.
// Pagefind writes a space before each sentence's anchor (an element with an id, anchors.py); Chinese puts
// none after its characters and marks, so the excerpt drops it there (and between paragraphs).
const AFTER_CHINESE = /(?<=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef”’])\s+/g;

function excerpt(official, parts) {
  const spaced = official.replace(/\s+/g, " ").trim();
  const textChars = ENGLISH ? spaced : spaced.replace(AFTER_CHINESE, "");
  const lower = textChars.toLowerCase();
  const hits = [];
  for (const part of parts) {
    const needle = part.toLowerCase();
    for (let at = lower.indexOf(needle); needle && at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      hits.push([at, at + needle.length]);
    }
  }
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const first = hits.length ? hits[0][0] : 0;
  const start = Math.max(0, first - EXCERPT), end = Math.min(textChars.length, first + 2 * EXCERPT + 10);
  const p = document.createElement("p");
  p.className = "excerpt";
  if (start > 0) p.append("…");
  let at = start;
  for (const [from, to] of hits) {
    if (from < at || from >= end) continue;
    p.append(textChars.slice(at, from), Object.assign(document.createElement("mark"), { textContent: textChars.slice(from, to) }));
    at = to;
  }
  p.append(textChars.slice(at, end));
  if (end < textChars.length) p.append("…");
  return p;
}

async function showMore(mine = latest) {
  const batch = await Promise.all(results.slice(shown, shown + PAGE).map(load));
  if (mine !== latest) return;
  for (const data of batch) {
    const item = document.createElement("li");
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${data.meta.source} · ${text(root.dataset.number, { n: data.meta.number })}`;
    item.append(link(data.meta.title, data.url), meta, excerpt(data.meta.text || "", marks));
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
    const vocabulary = fetch(root.dataset.vocabulary).then(r => r.json());
    pagefind = await import(first + "pagefind.js");
    await pagefind.options({ baseUrl: root.dataset.base });
    await Promise.all(others.map(bundle => pagefind.mergeIndex(bundle, { baseUrl: root.dataset.base })));
    [tables, words] = await Promise.all([fetch(root.dataset.tables).then(r => r.json()), vocabulary]);
    words.keys = new Map(Object.entries(words.keys)); // a Map: a query such as "constructor" is no key
    words.longest = Math.max(...[...words.keys.keys()].map(k => Array.from(k).length));
    words.written = new Set(words.written);
    await pagefind.filters(); // loaded before the first search, whose counts depend on them
  } catch (error) {
    status.textContent = root.dataset.error;
    throw error;
  }
  form.addEventListener("submit", event => { event.preventDefault(); run(currentState(), true); });
  facetsBox.addEventListener("change", () => run(currentState(readState().exact), true));
  document.getElementById("clear-filters").addEventListener("click",
    () => run({ q: input.value.trim(), filters: {}, exact: readState().exact }, true));
  notes.addEventListener("click", event => {
    const a = event.target.closest("a");
    if (a && a.pathname === location.pathname) {
      event.preventDefault();
      history.pushState(null, "", a.href);
      run(readState(), false);
    }
  });
  more.addEventListener("click", async () => {
    const first = shown, mine = latest;
    list.setAttribute("aria-busy", "true");
    await showMore();
    if (mine === latest) list.removeAttribute("aria-busy");
    list.children[first]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => { keepInSwitch(); run(readState(), false); });
  keepInSwitch();
  await run(readState(), false);
  root.dataset.ready = "true";
}

start();
