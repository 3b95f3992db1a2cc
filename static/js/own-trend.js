// "Your own trend, kept on this device": past check-in scores in this browser's localStorage, only
// after the person ticks the box. The server never stores a personal history; unticking deletes it.
const KEY = "mentoring.ownTrend";
const section = document.getElementById("own-trend");

function load() {
  try {
    const kept = JSON.parse(window.localStorage.getItem(KEY));
    return kept && Array.isArray(kept.scores) ? kept : null;
  } catch {
    return null;
  }
}

function save(kept) {
  window.localStorage.setItem(KEY, JSON.stringify(kept));
}

function withCurrentScore(kept) {
  const score = Number.parseInt(section.dataset.score ?? "", 10);
  const week = section.dataset.week;
  if (!kept || Number.isNaN(score) || !week) return kept;
  const scores = kept.scores.filter((entry) => entry.week !== week);
  scores.push({ week, score });
  scores.sort((a, b) => (a.week < b.week ? 1 : -1));
  return { scores };
}

function render(kept) {
  const checkbox = document.getElementById("own-trend-keep");
  const table = document.getElementById("own-trend-table");
  const body = table.querySelector("tbody");
  const empty = document.getElementById("own-trend-empty");
  const clear = document.getElementById("own-trend-clear");
  checkbox.checked = Boolean(kept);
  body.replaceChildren(
    ...(kept ? kept.scores : []).map((entry) => {
      const row = document.createElement("tr");
      row.className = "nhsuk-table__row";
      for (const text of [entry.week, String(entry.score)]) {
        const cell = document.createElement("td");
        cell.className = "nhsuk-table__cell";
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
  const hasScores = Boolean(kept && kept.scores.length);
  table.hidden = !hasScores;
  empty.hidden = hasScores;
  clear.hidden = !kept;
}

function forget() {
  window.localStorage.removeItem(KEY);
  render(null);
}

if (section) {
  section.hidden = false;
  let kept = withCurrentScore(load());
  if (kept) save(kept);
  render(kept);
  document.getElementById("own-trend-keep").addEventListener("change", (event) => {
    if (event.target.checked) {
      kept = withCurrentScore({ scores: [] });
      save(kept);
      render(kept);
    } else {
      forget();
    }
  });
  document.getElementById("own-trend-clear").addEventListener("click", forget);
}
