// The help-desk page: ask, stream the answer, open cited sections, copy answers with sources.
// Plain browser JavaScript, no build step, no external code. All text shown to people comes from the
// page's markup or from /ui/messages.json (prompts/messages_vi.txt), never from this file.
"use strict";

const KEY_STORAGE = "planbot.apiKey";
const state = {
  messages: {},
  conversationId: null,
  busy: false,
  plans: [],
  lastChip: null,
  key: "",
};

const $ = (selector) => document.querySelector(selector);

function t(key, values = {}) {
  const template = state.messages[key] || key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : ""));
}

function apiKey() {
  return state.key;
}

function loadKey() {
  try {
    state.key = localStorage.getItem(KEY_STORAGE) || "";
  } catch (_) {
    state.key = "";
  }
}

function headers(extra = {}) {
  const out = { ...extra };
  const key = apiKey();
  if (key) out.Authorization = `Bearer ${key}`;
  return out;
}

function setStatus(text, isError = false) {
  const status = $("#status");
  status.textContent = text || "";
  status.classList.toggle("error", Boolean(isError));
}

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function problemOf(response) {
  try {
    const body = await response.json();
    if (body && body.detail) return new ApiError(response.status, body.detail);
  } catch (_) {
    // not a problem document
  }
  return new ApiError(response.status, t("web_network_error"));
}

function needKey() {
  const box = $("#key-box");
  box.open = true;
  setStatus(t("web_key_needed"), true);
  $("#api-key").focus();
}

async function getJson(url) {
  let response;
  try {
    response = await fetch(url, { headers: headers({ Accept: "application/json" }) });
  } catch (_) {
    throw new ApiError(0, t("web_network_error"));
  }
  if (!response.ok) throw await problemOf(response);
  return response.json();
}

// --- plans selector ---------------------------------------------------------------------------
async function loadPlans() {
  const list = $("#plan-list");
  try {
    const data = await getJson("v1/documents");
    state.plans = data.documents;
  } catch (error) {
    if (error.status === 401) needKey();
    else setStatus(error.message, true);
    return;
  }
  list.replaceChildren();
  for (const plan of state.plans) {
    const id = `plan-${plan.source.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const item = document.createElement("div");
    item.className = "plan";
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = id;
    box.value = plan.source;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = plan.short_name;
    label.title = plan.title;
    item.append(box, label);
    list.append(item);
  }
}

function selectedPlans() {
  return [...document.querySelectorAll("#plan-list input:checked")].map((box) => box.value);
}

// --- uploading plans (admin keys) -----------------------------------------------------------
async function loadRole() {
  let role = "none";
  try {
    role = (await getJson("v1/me")).role;
  } catch (_) {
    role = "none"; // no key, a wrong key, or an older server: no upload control
  }
  $("#upload-box").hidden = role !== "admin";
  document.body.dataset.role = role;
}

function setUploadStatus(text, isError = false) {
  const status = $("#upload-status");
  status.textContent = text || "";
  status.classList.toggle("error", Boolean(isError));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const JOB_STATUS_KEYS = {
  queued: "web_job_queued", reading: "web_job_reading", indexing: "web_job_indexing",
  done: "web_job_done", failed: "web_job_failed",
};

// A file that needs OCR is read in the background: follow its job until it is done or failed.
async function followJob(job) {
  for (;;) {
    let status = t(JOB_STATUS_KEYS[job.status] || "web_job_reading");
    if (job.status === "reading" && job.pages_total) {
      status += ` (${t("web_job_pages", { done: job.pages_done, total: job.pages_total })})`;
    }
    setUploadStatus(t("web_upload_job", { name: job.source, status }));
    if (job.status === "done") return job.result;
    if (job.status === "failed") throw new ApiError(422, job.error ? job.error.detail : t("web_network_error"));
    await sleep(1000);
    job = await getJson(job.href.replace(/^\//, ""));
  }
}

async function uploadPlan(event) {
  event.preventDefault();
  const input = $("#upload-file");
  const file = input.files && input.files[0];
  if (!file) {
    setUploadStatus(t("web_upload_choose"), true);
    input.focus();
    return;
  }
  const form = new FormData();
  form.append("file", file);
  $("#upload-button").disabled = true;
  setUploadStatus(t("web_uploading", { name: file.name }));
  try {
    let response;
    try {
      response = await fetch("v1/documents", {
        method: "POST", headers: headers({ Accept: "application/json" }), body: form,
      });
    } catch (_) {
      throw new ApiError(0, t("web_network_error"));
    }
    if (!response.ok) throw await problemOf(response);
    let result = await response.json();
    if (response.status === 202) result = await followJob(result);
    const key = result.status === "unchanged" ? "web_upload_unchanged" : "web_upload_done";
    setUploadStatus(t(key, { name: result.source, chunks: result.chunks }));
    input.value = "";
    await loadPlans();
  } catch (error) {
    setUploadStatus(error.message, true);
    if (error.status === 401) needKey();
  } finally {
    $("#upload-button").disabled = false;
  }
}

// --- answers ----------------------------------------------------------------------------------
// The server reads the answer once (bot/render/model.py): `blocks` are its paragraphs and lists,
// `sections` its chips, the same the Telegram bot and the copy text show.

function appendWithMarkers(node, text, byId) {
  // "[1]" markers become buttons that open the same section as the chip
  let last = 0;
  for (const match of text.matchAll(/\[(\d{1,2})\]/g)) {
    node.append(text.slice(last, match.index));
    const citation = byId.get(Number(match[1]));
    if (citation) {
      const marker = document.createElement("button");
      marker.type = "button";
      marker.className = "marker";
      marker.textContent = match[0];
      marker.setAttribute("aria-label", t("web_open_citation", { label: citation.label }));
      marker.addEventListener("click", () => openCitation(citation, marker));
      node.append(marker);
    } else {
      node.append(match[0]);
    }
    last = match.index + match[0].length;
  }
  node.append(text.slice(last));
}

function renderAnswerText(container, blocks, byId) {
  // Everything is text nodes (never innerHTML): plan text is untrusted.
  container.replaceChildren();
  for (const block of blocks) {
    if (block.kind === "list") {
      const list = document.createElement("ul");
      list.className = "answer-list";
      for (const line of block.lines) {
        const item = document.createElement("li");
        appendWithMarkers(item, line, byId);
        list.append(item);
      }
      container.append(list);
    } else {
      const paragraph = document.createElement("p");
      appendWithMarkers(paragraph, block.lines[0], byId);
      container.append(paragraph);
    }
  }
}

function renderFinal(turn, answer) {
  const block = turn.querySelector(".answer-block");
  block.classList.toggle("abstained", answer.abstained);
  const notice = turn.querySelector(".notice");
  if (answer.notice) {
    notice.textContent = `${t("web_notice")}: ${answer.notice}`;
    notice.hidden = false;
  }
  const byId = new Map((answer.citations || []).map((c) => [c.id, c]));
  renderAnswerText(turn.querySelector(".answer-text"), answer.blocks || [], byId);
  const chips = turn.querySelector(".chips");
  chips.replaceChildren();
  for (const section of answer.sections || []) {
    // a chip opens its section at the first passage cited there
    const citation = byId.get(section.citation_ids[0]);
    const item = document.createElement("li");
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.dataset.source = section.source;
    chip.dataset.section = section.section;
    chip.textContent = section.label;
    chip.title = section.section_label;
    chip.setAttribute("aria-label", t("web_open_citation", { label: section.label }));
    chip.addEventListener("click", () => openCitation(citation, chip));
    item.append(chip);
    chips.append(item);
  }
  const actions = turn.querySelector(".answer-actions");
  actions.hidden = false;
  actions.querySelector(".copy").addEventListener("click", () => copyText(answer.answer_with_sources));
  block.setAttribute("aria-busy", "false");
}

function renderError(turn, message) {
  const block = turn.querySelector(".answer-block");
  const text = turn.querySelector(".answer-text");
  text.replaceChildren();
  const paragraph = document.createElement("p");
  paragraph.className = "error";
  paragraph.setAttribute("role", "alert");
  paragraph.textContent = message;
  text.append(paragraph);
  block.setAttribute("aria-busy", "false");
}

function newTurn(question) {
  const fragment = $("#turn-template").content.cloneNode(true);
  const turn = fragment.querySelector(".turn");
  for (const node of turn.querySelectorAll("[data-text]")) node.textContent = t(node.dataset.text);
  turn.querySelector(".question-text").textContent = question;
  const draft = document.createElement("p");
  draft.className = "draft";
  draft.textContent = t("web_thinking");
  turn.querySelector(".answer-text").append(draft);
  $("#turns").append(turn);
  turn.scrollIntoView({ block: "end" });
  return turn;
}

// Server-sent events over a POST response: "event: token" pieces, then "event: answer".
async function* readEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

async function ask(question) {
  const turn = newTurn(question);
  const body = { question };
  if (state.conversationId) body.conversation_id = state.conversationId;
  const plans = selectedPlans();
  if (plans.length) body.sources = plans;
  let response;
  try {
    response = await fetch("v1/ask", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(body),
    });
  } catch (_) {
    renderError(turn, t("web_network_error"));
    return;
  }
  if (!response.ok) {
    const error = await problemOf(response);
    renderError(turn, error.message);
    if (error.status === 401) needKey();
    return;
  }
  const draft = turn.querySelector(".answer-text");
  let text = "";
  let finished = false;
  try {
    for await (const { event, data } of readEvents(response)) {
      if (event === "token") {
        text += data.text;
        draft.replaceChildren(Object.assign(document.createElement("p"), { className: "draft", textContent: text }));
      } else if (event === "answer") {
        state.conversationId = data.conversation_id;
        renderFinal(turn, data);
        finished = true;
      } else if (event === "error") {
        renderError(turn, data.detail);
        finished = true;
      }
    }
  } catch (_) {
    // the connection broke mid-answer
  }
  if (!finished) renderError(turn, t("web_network_error"));
}

// --- cited sections ---------------------------------------------------------------------------
function highlight(container, text, quote, shown = text) {
  // the quote is the section text with whitespace collapsed: match it across line breaks
  const words = quote.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const match = words.length ? new RegExp(words.join("\\s+")).exec(text) : null;
  container.replaceChildren();
  if (!match) {
    container.append(shown);
    return null;
  }
  let start = match.index;
  let end = match.index + match[0].length;
  if (shown !== text) {
    // the repaired text has the same words at the same places (OCR repair changes words one by
    // one, never spacing or lines): mark the same words there
    const count = (s) => (s.match(/\S+/g) || []).length;
    let before = count(text.slice(0, start));
    if (start > 0 && /\S/.test(text[start - 1])) before -= 1;
    const spans = [...shown.matchAll(/\S+/g)];
    const first = spans[before];
    const last = spans[before + count(match[0]) - 1];
    if (!first || !last) {
      container.append(shown);
      return null;
    }
    start = first.index;
    end = last.index + last[0].length;
  }
  const mark = document.createElement("mark");
  mark.textContent = shown.slice(start, end);
  container.append(shown.slice(0, start), mark, shown.slice(end));
  return mark;
}

function showSection(section, quote, original) {
  // an OCR'd plan is shown repaired; the verbatim OCR text is one click away
  const repaired = section.text_display && section.text_display !== section.text;
  $("#source-ocr").hidden = !repaired;
  if (repaired) {
    $("#source-ocr-note").textContent = `${t("web_ocr_note")} `;
    const toggle = $("#source-toggle");
    toggle.textContent = original ? t("web_ocr_repaired") : t("web_ocr_original");
    toggle.setAttribute("aria-pressed", String(original));
    toggle.onclick = () => showSection(section, quote, !original);
  }
  const shown = repaired && !original ? section.text_display : section.text;
  return highlight($("#source-text"), section.text, quote, shown);
}

async function openCitation(citation, opener) {
  state.lastChip = opener;
  const panel = $("#source-panel");
  const title = $("#source-title");
  const body = $("#source-text");
  panel.hidden = false;
  document.body.classList.add("with-source");
  title.textContent = citation.label;
  $("#source-meta").textContent = citation.doc_title;
  $("#source-ocr").hidden = true;
  body.textContent = t("web_loading_section");
  title.focus();
  try {
    const section = await getJson(citation.href.replace(/^\//, ""));
    title.textContent = `${section.plan} · ${section.section_label}`;
    $("#source-meta").textContent = `${section.doc_title}. ${t("web_section_lines", {
      start: section.start_line, end: section.end_line, source: section.source,
    })}`;
    const mark = showSection(section, citation.quote, false);
    if (mark) mark.scrollIntoView({ block: "center" });
  } catch (error) {
    body.textContent = error.message;
    if (error.status === 401) needKey();
  }
}

function closeCitation() {
  $("#source-panel").hidden = true;
  document.body.classList.remove("with-source");
  if (state.lastChip) state.lastChip.focus();
}

// --- copying ----------------------------------------------------------------------------------
function copyWithSelection(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

async function copyText(text) {
  let ok = false;
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (_) {
      ok = false;
    }
  }
  // plain http on the office network has no Clipboard API: the old way still works there
  if (!ok) ok = copyWithSelection(text);
  if (ok) setStatus(t("web_copied"));
  else setStatus(t("web_copy_failed"), true);
}

// --- wiring -----------------------------------------------------------------------------------
async function submitQuestion(event) {
  if (event) event.preventDefault();
  const box = $("#question");
  const question = box.value.trim();
  if (!question || state.busy) return;
  state.busy = true;
  $("#ask-button").disabled = true;
  setStatus(t("web_thinking"));
  box.value = "";
  try {
    await ask(question);
  } finally {
    state.busy = false;
    $("#ask-button").disabled = false;
    if (!$("#status").classList.contains("error")) setStatus("");
    box.focus();
  }
}

// --- Lịch hạn: what falls due in the next 30 days, with citations and a calendar subscription ----
async function loadSchedule(event) {
  if (event) event.preventDefault();
  const agency = $("#schedule-agency").value.trim();
  const status = $("#schedule-status");
  const list = $("#schedule-list");
  const link = $("#schedule-subscribe");
  status.classList.remove("error");
  status.textContent = t("web_schedule_loading");
  const params = new URLSearchParams({ days: "30" });
  if (agency) params.set("agency", agency);
  let body;
  try {
    body = await getJson(`v1/register/upcoming?${params}`);
  } catch (error) {
    list.replaceChildren();
    link.hidden = true;
    status.textContent = error.message;
    status.classList.add("error");
    if (error.status === 401) needKey();
    return;
  }
  const values = { start: body.from.split("-").reverse().join("/"), end: body.to.split("-").reverse().join("/"),
                   agency: body.agency || t("web_schedule_all") };
  status.textContent = body.items.length ? t("web_schedule_title", values) : t("web_schedule_none", values);
  list.replaceChildren(...body.items.map((item) => {
    const li = document.createElement("li");
    const when = document.createElement("strong");
    when.textContent = item.date.split("-").reverse().join("/");
    const cite = document.createElement("a");
    cite.href = "#";
    cite.className = "chip";
    cite.textContent = item.label;
    cite.addEventListener("click", (e) => {
      e.preventDefault();
      openCitation({ source: item.record.source, section: item.record.section, label: item.label,
                     quote: item.record.quote, quote_display: item.record.quote_display, href: item.record.href,
                     doc_title: item.record.doc_title }, cite);
    });
    const what = document.createElement("span");
    what.textContent = ` ${item.what}${item.period_label ? ` (${item.period_label})` : ""} `;
    li.append(when, what, cite);
    return li;
  }));
  // a calendar app sends no headers: the key goes in the address (redacted in the server's log)
  const url = new URL(body.ics_path.replace(/^\//, ""), document.baseURI);
  if (apiKey()) url.searchParams.set("key", apiKey());
  link.href = url.protocol === "https:" ? url.href.replace(/^https:/, "webcal:") : url.href;
  link.hidden = false;
}

async function start() {
  try {
    const response = await fetch("ui/messages.json");
    if (response.ok) state.messages = await response.json();
  } catch (_) {
    // the keys themselves are shown; the page still works
  }
  loadKey();
  $("#api-key").value = apiKey();
  $("#ask-form").addEventListener("submit", submitQuestion);
  $("#question").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submitQuestion(event);
  });
  $("#key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.key = $("#api-key").value.trim();
    try {
      localStorage.setItem(KEY_STORAGE, state.key);
    } catch (_) {
      // private mode without storage: the key lasts until the page is closed
    }
    setStatus(t("web_key_saved"));
    $("#key-box").open = false;
    loadPlans();
    loadRole();
    $("#question").focus();
  });
  $("#new-conversation").addEventListener("click", () => {
    if (state.conversationId) {
      fetch(`v1/conversations/${state.conversationId}`, { method: "DELETE", headers: headers() }).catch(() => {});
    }
    state.conversationId = null;
    $("#turns").replaceChildren();
    closeCitation();
    setStatus(t("web_new_conversation"));
    $("#question").focus();
  });
  $("#source-close").addEventListener("click", closeCitation);
  $("#upload-form").addEventListener("submit", uploadPlan);
  $("#schedule-form").addEventListener("submit", loadSchedule);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("#source-panel").hidden) closeCitation();
  });
  await loadPlans();
  await loadRole();
}

document.addEventListener("DOMContentLoaded", start);
