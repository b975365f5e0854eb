// The one DOM helper of the board pages, and small helpers every view shares.
//
//   h("button", {class: "x", onclick: fn, "--persona": "#123", text: "Go"}, child, [more])
//
// Attributes: `class`, `text` (textContent), `style` (an object, set through the
// CSSOM: the CSP refuses style="..." attributes), `--name` (a CSS
// variable), `on<event>` (a listener), anything else as an attribute (true: present;
// null, undefined, false: absent). Children: nodes, strings, numbers, arrays of them.
// Text is always set as text: whatever people typed never becomes markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    // Through the CSSOM, never a style="..." attribute: the Content-Security-Policy
    // refuses inline styles. setProperty takes custom properties (--x) too.
    else if (key === "style" && typeof value === "object") {
      for (const [prop, v] of Object.entries(value)) {
        if (prop.includes("-")) el.style.setProperty(prop, v);
        else el.style[prop] = v;
      }
    }
    else if (key.startsWith("--")) el.style.setProperty(key, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function initials(name) {
  const parts = (name || "?").trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] || "?") + (parts.length > 1 ? parts.at(-1)[0] : "")).toUpperCase();
}

export function hue(id) {
  return (Number(id) * 137) % 360;
}
