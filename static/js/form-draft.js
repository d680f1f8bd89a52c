/* Chợ Quê: nothing typed is lost. A form marked data-draft="<name>" keeps what the farmer
   types in this phone's storage (localStorage). When the page comes back after a dropped
   connection (Back, reload), empty fields get their typed values again and a banner says so.
   After a save that went through (the next page was reached by a normal navigation) the kept
   entries are dropped. Fields named in data-draft-skip (tax and account numbers: a helper's
   phone serves many farmers) are never kept. A form marked data-warn-unsaved is flagged when another form on the
   page is sent while it holds typed but unsaved entries. Files and passwords are never kept. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.setItem("draft:probe", "1"); store.removeItem("draft:probe"); }
  catch (error) { store = null; }

  var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var cameBack = nav ? (nav.type === "back_forward" || nav.type === "reload") : false;

  function kept(field) {
    var type = (field.type || "").toLowerCase();
    var skip = (field.form && field.form.getAttribute("data-draft-skip") || "").split(" ");
    return field.name && field.name !== "csrf_token" && skip.indexOf(field.name) < 0 &&
      ["file", "password", "hidden", "submit", "button"].indexOf(type) < 0;
  }

  function read(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field)) { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) { (values[field.name] = values[field.name] || []).push(field.value); }
      } else if (field.value) {
        values[field.name] = field.value;
      }
    });
    return values;
  }

  function restore(form, values) {
    var restored = 0;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!kept(field) || !(field.name in values)) { return; }
      var value = values[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        var group = form.querySelectorAll("[name='" + field.name + "']:checked");
        if (!group.length && value.indexOf(field.value) >= 0) { field.checked = true; restored++; }
      } else if (!field.value || (field.tagName === "SELECT" && field.selectedIndex <= 0)) {
        field.value = value;
        if (field.value === value) { restored++; }
      }
    });
    return restored;
  }

  function banner(form) {
    var note = document.createElement("p");
    note.className = "notice draft-note";
    note.setAttribute("role", "status");
    note.textContent = form.getAttribute("data-draft-restored") || "";
    form.insertBefore(note, form.firstChild);
  }

  function filled(form) {
    var values = read(form);
    var defaults = JSON.parse(form.getAttribute("data-draft-initial") || "{}");
    return Object.keys(values).some(function (name) {
      return JSON.stringify(values[name]) !== JSON.stringify(defaults[name]);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = "draft:" + location.pathname + ":" + form.getAttribute("data-draft");
    form.setAttribute("data-draft-initial", JSON.stringify(read(form)));
    if (store) {
      var saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (error) { saved = null; }
      var hasErrors = !!form.querySelector("[aria-invalid=true]") || !!document.querySelector(".error-summary");
      if (saved && saved.sent && !cameBack && !hasErrors) {
        store.removeItem(key);  // the save went through: the next page was reached normally
      } else if (saved && restore(form, saved.values)) {
        banner(form);
      }
      var timer = null;
      form.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          try { store.setItem(key, JSON.stringify({ values: read(form), at: Date.now() })); } catch (error) { /* full */ }
        }, 300);
      });
      form.addEventListener("submit", function () {
        clearTimeout(timer);  // a keystroke's pending save must not overwrite the "sent" mark
        try { store.setItem(key, JSON.stringify({ values: read(form), at: Date.now(), sent: true })); } catch (error) { /* full */ }
      });
    }
  });

  // Before another form on the page is sent, flag a sub-form with unsaved entries (once).
  var watched = document.querySelectorAll("form[data-warn-unsaved]");
  Array.prototype.forEach.call(document.forms, function (other) {
    if (other.hasAttribute("data-warn-unsaved")) { return; }
    other.addEventListener("submit", function (event) {
      var pending = Array.prototype.filter.call(watched, function (form) { return filled(form); });
      if (!pending.length || other.getAttribute("data-warned") === "yes") { return; }
      event.preventDefault();
      other.setAttribute("data-warned", "yes");
      pending.forEach(function (form) {
        var note = form.querySelector(".unsaved-note");
        if (!note) {
          note = document.createElement("p");
          note.className = "notice unsaved-note";
          note.setAttribute("role", "alert");
          note.textContent = form.getAttribute("data-warn-unsaved");
          form.insertBefore(note, form.firstChild);
        }
      });
      pending[0].scrollIntoView({ block: "start" });
    }, true);
  });
}());
