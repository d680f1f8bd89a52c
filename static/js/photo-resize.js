/* Chợ Quê: make chosen photos smaller in the browser before they are uploaded.
   A phone photo (4 MB, 4000 px) becomes a JPEG of about 1600 px and a few hundred KB, so it
   crosses a weak 3G link quickly. Without this script, or if anything here fails, the original
   file is sent and the server does all the work. HEIC/HEIF cannot be decoded by most browsers,
   so those files are sent as they are. */
(function () {
  "use strict";
  var LONG_EDGE = 1600;
  var QUALITY = 0.85;
  var SMALL_ENOUGH = 350 * 1024;
  var DECODABLE = /^image\/(jpeg|png|webp)$/i;
  // Browsers that draw <img> upright from EXIF; older ones would lose the rotation in a canvas.
  var ORIENTS = !!(window.CSS && CSS.supports && CSS.supports("image-orientation", "from-image"));

  if (!window.DataTransfer || !window.URL || !HTMLCanvasElement.prototype.toBlob) { return; }

  function load(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { resolve({ image: image, url: url }); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("decode")); };
      image.src = url;
    });
  }

  function shrink(file, longEdge) {
    if (!DECODABLE.test(file.type) || file.size <= SMALL_ENOUGH || (!ORIENTS && /jpe?g/i.test(file.type))) {
      return Promise.resolve(file);
    }
    return load(file).then(function (loaded) {
      var image = loaded.image;
      var width = image.naturalWidth, height = image.naturalHeight;
      var scale = Math.min(1, longEdge / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // transparent PNG areas become white, as on the server
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(loaded.url);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function setBusy(input, busy) {
    var form = input.form;
    var status = input.nextElementSibling && input.nextElementSibling.classList.contains("resize-status")
      ? input.nextElementSibling : null;
    if (!status) {
      status = document.createElement("small");
      status.className = "hint resize-status";
      status.setAttribute("aria-live", "polite");
      input.parentNode.insertBefore(status, input.nextSibling);
    }
    status.textContent = busy ? (input.getAttribute("data-busy") || "…") : "";
    if (form) {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (button) {
        button.disabled = busy;
      });
    }
  }

  function onChange(event) {
    var input = event.target;
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { return; }
    var edge = parseInt(input.getAttribute("data-resize"), 10) || LONG_EDGE;
    setBusy(input, true);
    var results = [];
    // One photo at a time: a phone has little memory for several decoded 12 MP images.
    files.reduce(function (chain, file) {
      return chain.then(function () { return shrink(file, edge); }).then(function (out) { results.push(out); });
    }, Promise.resolve()).then(function () {
      if (results.some(function (out, i) { return out !== files[i]; })) {
        var transfer = new DataTransfer();
        results.forEach(function (out) { transfer.items.add(out); });
        input.files = transfer.files;
      }
    }).catch(function () { /* keep the originals */ }).then(function () { setBusy(input, false); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-resize]"), function (input) {
    input.addEventListener("change", onChange);
  });
}());
