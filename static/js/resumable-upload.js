/* Chợ Quê: send the photos of a form in small pieces before the form itself, with a progress
   bar, so a dropped 3G connection costs one piece, not the whole photo. The server keeps what
   arrived (core/uploads.py); after a failure the script asks how much it has and goes on.
   Without this script (or on any surprise) the form is sent the ordinary way. */
(function () {
  "use strict";
  var PIECE = 64 * 1024;
  var MAX_WAIT = 15000;
  if (!window.XMLHttpRequest || !window.FormData || !window.JSON || !Blob.prototype.slice) { return; }

  function csrf(form) {
    var token = form.querySelector("input[name=csrf_token]");
    return token ? token.value : "";
  }

  function request(method, url, form, body, headers) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.timeout = 60000;
      xhr.setRequestHeader("X-CSRFToken", csrf(form));
      Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.ontimeout = function () { reject(new Error("network")); };
      if (body && body.onprogress && xhr.upload) { xhr.upload.onprogress = body.onprogress; }
      xhr.send(body ? body.data : null);
    });
  }

  function pause(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function online() {
    if (navigator.onLine !== false) { return Promise.resolve(); }
    return new Promise(function (resolve) { window.addEventListener("online", resolve, { once: true }); });
  }

  function Sender(form) {
    this.form = form;
    this.url = form.getAttribute("data-resumable");
    this.bar = document.createElement("progress");
    this.bar.max = 100;
    this.bar.value = 0;
    this.status = document.createElement("p");
    this.status.className = "hint upload-status";
    this.status.setAttribute("aria-live", "polite");
    var box = document.createElement("div");
    box.className = "upload-progress";
    box.appendChild(this.bar);
    box.appendChild(this.status);
    var button = form.querySelector("button[type=submit], button:not([type])");
    (button ? button.parentNode : form).insertBefore(box, button ? button.nextSibling : null);
    this.box = box;
    this.say("sending", 0);
  }

  Sender.prototype.say = function (key, percent) {
    var text = this.form.getAttribute("data-" + key) || "";
    this.status.textContent = text.replace("{percent}", String(percent || 0));
  };

  Sender.prototype.send = function (file, done, total) {
    var self = this, id = null, offset = 0, wait = 1000;
    function show(extra) {
      var percent = Math.floor(100 * (done + offset + (extra || 0)) / total);
      self.bar.value = percent;
      self.say("sending", percent);
    }
    function start() {
      return request("POST", self.url, self.form,
        { data: JSON.stringify({ name: file.name, type: file.type, size: file.size }) },
        { "Content-Type": "application/json" }).then(function (xhr) {
        if (xhr.status !== 201) { throw new Error("refused"); }
        id = JSON.parse(xhr.responseText).id;
      });
    }
    function piece() {
      if (offset >= file.size) { return Promise.resolve(); }
      var chunk = file.slice(offset, offset + PIECE);
      return request("PATCH", self.url + "/" + id, self.form,
        { data: chunk, onprogress: function (event) { show(event.loaded); } },
        { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }
      ).then(function (xhr) {
        if (xhr.status === 200 || xhr.status === 409) {
          offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
          wait = 1000;
          show(0);
          return piece();
        }
        if (xhr.status >= 500) { throw new Error("network"); }
        throw new Error("refused");
      }, retry);
    }
    function retry(error) {
      if (error.message !== "network") { throw error; }
      self.say("retrying");
      return online().then(function () { return pause(wait); }).then(function () {
        wait = Math.min(wait * 2, MAX_WAIT);
        return request("HEAD", self.url + "/" + id, self.form);
      }).then(function (xhr) {
        if (xhr.status !== 200) { throw new Error("refused"); }
        offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
        return piece();
      }, retry);
    }
    function startWithRetry() {
      return start().catch(function (error) {
        if (error.message !== "network") { throw error; }
        self.say("retrying");
        return online().then(function () { return pause(wait); }).then(function () {
          wait = Math.min(wait * 2, MAX_WAIT);
          return startWithRetry();
        });
      });
    }
    return startWithRetry().then(piece).then(function () { return id; });
  };

  function onSubmit(event) {
    var form = event.target;
    if (form.getAttribute("data-upload-running") === "yes") { event.preventDefault(); return; }
    var inputs = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), function (input) {
      return !input.disabled && input.files && input.files.length;
    });
    if (!inputs.length) { return; }
    event.preventDefault();
    form.setAttribute("data-upload-running", "yes");
    var buttons = form.querySelectorAll("button, input[type=submit]");
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = true; });
    var submitter = event.submitter;
    var sender = new Sender(form);
    var files = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) { files.push({ input: input, file: file }); });
    });
    var total = files.reduce(function (sum, item) { return sum + item.file.size; }, 0) || 1;
    var done = 0;
    files.reduce(function (chain, item) {
      return chain.then(function () {
        return sender.send(item.file, done, total).then(function (id) {
          done += item.file.size;
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = item.input.name + "__resumed";
          hidden.value = id;
          form.appendChild(hidden);
        });
      });
    }, Promise.resolve()).then(function () {
      inputs.forEach(function (input) { input.disabled = true; });
      if (submitter && submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      sender.bar.value = 100;
      sender.say("saving");
      HTMLFormElement.prototype.submit.call(form);
    }).catch(function () {
      // Refused or unexpected: let the server answer the ordinary form (it explains the problem).
      Array.prototype.forEach.call(form.querySelectorAll("input[name$='__resumed']"), function (hidden) {
        hidden.remove();
      });
      sender.box.remove();
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-resumable]"), function (form) {
    form.addEventListener("submit", onSubmit);
  });

  // The big buttons stand for the browser's own file controls, which are hidden (still
  // reachable) once this script runs; the chosen photo's name shows beside them.
  Array.prototype.forEach.call(document.querySelectorAll(".photo-choice"), function (choice) {
    var chosen = choice.querySelector(".chosen");
    choice.classList.add("enhanced");
    Array.prototype.forEach.call(choice.querySelectorAll("input[type=file]"), function (input) {
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (chosen && file) { chosen.textContent = chosen.getAttribute("data-chosen").replace("{name}", file.name); }
      });
    });
  });
}());
