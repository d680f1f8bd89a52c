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
  // Browsers that draw images upright from their EXIF orientation.
  var ORIENTS = !!(window.CSS && CSS.supports && CSS.supports("image-orientation", "from-image"));

  if (!window.DataTransfer || !window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) { return; }

  // EXIF orientation and stored size of a JPEG, from its first 256 KB (null for other files).
  function jpegInfo(file) {
    return file.slice(0, 262144).arrayBuffer().then(function (buffer) {
      var view = new DataView(buffer), offset = 2, info = { orientation: 1, width: 0, height: 0 };
      if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return null; }
      while (offset + 4 <= view.byteLength) {
        var marker = view.getUint16(offset), length = view.getUint16(offset + 2);
        if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) { readOrientation(view, offset + 10, info); }
        if (marker >= 0xFFC0 && marker <= 0xFFCF && [0xFFC4, 0xFFC8, 0xFFCC].indexOf(marker) < 0) {
          info.height = view.getUint16(offset + 5);
          info.width = view.getUint16(offset + 7);
          return info;
        }
        if ((marker & 0xFF00) !== 0xFF00) { break; }
        offset += 2 + length;
      }
      return info;
    });
  }

  function readOrientation(view, tiff, info) {
    try {
      var little = view.getUint16(tiff) === 0x4949;
      var ifd = tiff + view.getUint32(tiff + 4, little), count = view.getUint16(ifd, little);
      for (var i = 0; i < count; i++) {
        var entry = ifd + 2 + i * 12;
        if (view.getUint16(entry, little) === 0x0112) { info.orientation = view.getUint16(entry + 8, little); }
      }
    } catch (error) { info.orientation = 0; } // unreadable: do not guess, send the original
  }

  function decode(file) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
      return createImageBitmap(file);
    });
  }

  // True when the decoded bitmap is upright, as the server would make it.
  function upright(info, bitmap) {
    if (!info || info.orientation === 1) { return true; }
    if (info.orientation >= 5 && info.orientation <= 8) {
      return bitmap.width === info.height && bitmap.height === info.width;
    }
    return info.orientation > 1 && info.orientation <= 4 && ORIENTS;
  }

  function shrink(file, longEdge) {
    if (!DECODABLE.test(file.type) || file.size <= SMALL_ENOUGH) { return Promise.resolve(file); }
    var info;
    return (/jpe?g/i.test(file.type) ? jpegInfo(file) : Promise.resolve(null)).then(function (found) {
      info = found;
      return decode(file);
    }).then(function (bitmap) {
      if (!upright(info, bitmap)) { bitmap.close(); return file; } // the server will turn it
      var scale = Math.min(1, longEdge / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // transparent PNG areas become white, as on the server
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
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
