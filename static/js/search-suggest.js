/* Search as you type for the header search box (progressive enhancement).
   Without JavaScript the box is a plain GET form to /tim-kiem. Suggestions come
   from GET /api/suggest?q= (at most 8 products) and are inserted as text only. */
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-suggest]");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("q-suggest");
  var endpoint = form.getAttribute("data-suggest");
  var timer = null, pending = null, items = [], active = -1, shown = "";

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function render(found) {
    list.textContent = "";
    items = found.slice(0, 8);
    active = -1;
    if (!items.length) { close(); return; }
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      var link = document.createElement("a");
      option.id = "q-suggest-" + index;
      option.setAttribute("role", "option");
      link.href = item.url;
      link.textContent = item.name;
      link.tabIndex = -1;
      option.appendChild(link);
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function select(step) {
    var options = list.querySelectorAll("li");
    if (!options.length) { return; }
    if (active >= 0) { options[active].removeAttribute("aria-selected"); }
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  function suggest() {
    var text = input.value.trim();
    if (text === shown) { return; }
    shown = text;
    if (text.length < 2) { close(); return; }
    if (pending) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(text), {
      headers: { "Accept": "application/json" },
      signal: pending ? pending.signal : undefined
    }).then(function (response) {
      return response.ok ? response.json() : { items: [] };
    }).then(function (data) {
      if (input.value.trim() === text) { render(data.items || []); }
    }).catch(function () { /* offline or aborted: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      select(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].url;
    } else if (event.key === "Escape") {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) { close(); }
  });
}());
