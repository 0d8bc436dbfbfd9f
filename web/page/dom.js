// Building the page from data without innerHTML: text is always set as text, so nothing a
// server or a user sends can become markup.

// h("p", {class: "x", onclick: f}, "text", child…): an element with attributes, listeners
// (props starting with "on") and children (strings become text; null and false are skipped).
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "value") element.value = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces the children of `element`.
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

// A labelled <select>: options are [value, text] pairs.
export function select(id, label, options, value, onchange) {
  return h("label", { for: id, class: "field" }, label,
    h("select", { id, onchange },
      options.map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
}
