// Nhiệm vụ: the tasks of the user's units, overdue first, with deadline and the plan's own
// words; progress (state and note) is recorded with POST /api/v1/tasks/{id}.
import { h, fill, select } from "./dom.js";
import { get, query, write } from "./api.js";
import { TASK_STATE_LABELS, formatDate, formatDateTime } from "./format.js";

export async function render(main, context) {
  const { params } = context;
  const answer = await get(`/api/v1/tasks${query({ unit: params.unit, office: params.office, limit: 1000 })}`);
  const tasks = answer.tasks.slice().sort((a, b) =>
    Number(b.overdue) - Number(a.overdue) || (a.deadline ?? "9999").localeCompare(b.deadline ?? "9999"));
  const sources = new Map(context.plans.flatMap((p) => p.tasks.map((t) => [`${p.unit}/${t.id}`, t])));
  const refilter = (name) => (event) => context.go("nhiem-vu", { ...params, [name]: event.target.value });
  const overdue = tasks.filter((t) => t.overdue).length;
  fill(main,
    h("h1", {}, "Nhiệm vụ"),
    h("form", { class: "filters", "aria-label": "Lọc" },
      select("k-unit", "Đơn vị", [["", "Tất cả"], ...context.units.map((u) => [u.id, u.name])], params.unit ?? "", refilter("unit")),
      select("k-office", "Cơ quan chủ trì", [["", "Tất cả"], ...context.offices], params.office ?? "", refilter("office"))),
    h("p", { class: "counts" }, `${answer.total} nhiệm vụ, trong đó `, h("b", {}, `${overdue} quá hạn`), "."),
    h("ol", { class: "tasks" }, tasks.map((task) => taskItem(task, sources.get(`${task.unit}/${task.task}`), context))));
}

function taskItem(task, source, context) {
  const id = `t-${task.unit}-${task.task}`;
  const office = (code) => context.offices.get(code) ?? code;
  return h("li", { class: `task${task.overdue ? " overdue" : ""}`, id },
    h("h2", {}, task.title),
    h("p", { class: "meta" },
      task.overdue ? h("span", { class: "status s-overdue" }, "Quá hạn") : null, " ",
      h("span", { class: `state st-${task.state}` }, task.state_label ?? TASK_STATE_LABELS[task.state]), " · ",
      task.deadline ? `Hạn: ${formatDate(task.deadline)}` : "Không có hạn cụ thể",
      task.days_left !== null && task.days_left !== undefined
        ? (task.days_left < 0 ? ` (quá ${-task.days_left} ngày)` : ` (còn ${task.days_left} ngày)`) : ""),
    h("dl", { class: "info" },
      h("dt", {}, "Đơn vị"), h("dd", {}, context.units.find((u) => u.id === task.unit)?.name ?? task.unit),
      h("dt", {}, "Chủ trì"), h("dd", {}, office(task.lead), task.main_office ? `; thực hiện chính: ${office(task.main_office)}` : ""),
      task.coordinating?.length ? [h("dt", {}, "Phối hợp"), h("dd", {}, task.coordinating.map(office).join(", "))] : null,
      h("dt", {}, "Thời hạn theo văn bản"), h("dd", {}, h("q", {}, task.deadline_text)),
      source?.source ? [h("dt", {}, "Nguồn"), h("dd", {}, source.source)] : null,
      task.recorded_at ? [h("dt", {}, "Cập nhật gần nhất"),
        h("dd", {}, `${formatDateTime(task.recorded_at)} bởi ${task.recorded_by}`, task.note ? `: ${task.note}` : "")] : null),
    context.canWrite ? progressForm(task, id, context) : null);
}

function progressForm(task, id, context) {
  const note = h("input", { id: `${id}-note`, name: "note", autocomplete: "off" });
  const error = h("p", { class: "field-error", role: "alert", hidden: true });
  const state = select(`${id}-state`, "Tình trạng", Object.entries(TASK_STATE_LABELS), task.state);
  return h("form", { class: "progress", onsubmit: async (event) => {
    event.preventDefault();
    const answer = await write(`/api/v1/tasks/${encodeURIComponent(task.task)}`, { json: {
      unit: task.unit, state: state.querySelector("select").value, note: note.value,
      ...(task.occurrence ? { occurrence: task.occurrence } : {}) } });
    if (!answer.ok) {
      error.textContent = `Không ghi được: ${answer.body?.error ?? `HTTP ${answer.status}`}`;
      error.hidden = false;
      return;
    }
    context.go("nhiem-vu", { ...context.params, saved: Date.now() }, `Đã ghi tiến độ nhiệm vụ "${task.title}".`);
  } },
    state,
    h("label", { for: `${id}-note`, class: "field" }, "Ghi chú", note),
    h("button", { type: "submit" }, "Ghi tiến độ"),
    error);
}
