// The %hfauth token box (an anywidget front end).
//
// The token lives only in this <input> until "Use for this session": then it is sent to the kernel as the
// binary buffer of a custom message (model.send) and the input is emptied at once. It is never model state,
// so a notebook save, an autosave or "Save Widget State Automatically" has nothing to write; and it is never
// in a JSON message body, so a kernel or server logging message contents at debug level would not show it.

function render({ model, el }) {
  const wrap = document.createElement("div");
  wrap.className = "hfauth-token-input widget-inline-hbox";
  wrap.style.cssText = "display:flex;align-items:center;gap:6px;flex-wrap:wrap;margin:2px 0";

  const label = document.createElement("label");
  label.textContent = model.get("label");
  label.style.cssText = "font-size:var(--jp-widgets-font-size,13px)";

  const input = document.createElement("input");
  input.type = "password";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.placeholder = model.get("placeholder");
  input.setAttribute("aria-label", model.get("label"));
  input.setAttribute("data-lpignore", "true");
  input.setAttribute("data-1p-ignore", "true");
  input.style.cssText =
    "width:22em;padding:2px 6px;height:var(--jp-widgets-inline-height,28px);box-sizing:border-box;" +
    "border:1px solid var(--jp-widgets-input-border-color,#9e9e9e);border-radius:2px;" +
    "background:var(--jp-widgets-input-background-color,#fff);color:var(--jp-widgets-input-color,#000)";
  label.htmlFor = input.id = "hfauth-token-" + Math.random().toString(36).slice(2);
  wrap.append(label, input);

  const button = document.createElement("button");
  button.type = "button";
  button.className = "hfauth-token-submit jupyter-button widget-button";
  button.textContent = model.get("button_label");
  button.title = "Check the token, then set HF_TOKEN in this kernel only (never saved)";

  const submit = () => {
    const token = input.value;
    input.value = "";
    if (!token.trim() || model.get("busy")) return;
    const bytes = new TextEncoder().encode(token);
    model.send({ event: "token" }, undefined, [bytes.buffer]);
  };
  button.addEventListener("click", submit);
  // Keep the notebook's keyboard shortcuts out of the box (as ipywidgets' own text inputs do).
  for (const type of ["keydown", "keypress", "keyup"]) {
    input.addEventListener(type, (event) => {
      event.stopPropagation();
      if (type === "keydown" && event.key === "Enter") {
        event.preventDefault();
        submit();
      }
    });
  }
  const sync = () => {
    button.disabled = model.get("busy");
  };
  model.on("change:busy", sync);
  sync();
  const row = document.createElement("div");
  row.style.cssText = "display:flex;align-items:center;gap:6px;flex-wrap:wrap";
  row.append(wrap, button);
  el.append(row);
  if (model.get("autofocus")) setTimeout(() => input.focus(), 0);
  // Tell the kernel the box is on screen: where this never arrives (the front end could not load this
  // module), the panel offers the kernel's hidden prompt instead.
  model.send({ event: "rendered" });
  return () => {
    input.value = "";
    model.off("change:busy", sync);
  };
}

export default { render };
