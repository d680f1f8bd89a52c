/* Province -> commune filter. Progressive enhancement only: without this script the
   "Show the communes" button submits the form and the server fills the list. */
(function () {
  'use strict';
  var box = document.querySelector('[data-commune-filter][data-api]');
  if (!box || !window.fetch) { return; }
  var province = box.querySelector('select[name="province"]');
  var commune = box.querySelector('select[name="commune"]');
  var button = box.querySelector('[data-choose-province]');
  if (!province || !commune) { return; }
  var cache = {};

  function placeholder(text) {
    var option = document.createElement('option');
    option.value = '';
    option.textContent = text;
    return option;
  }

  function fill(list) {
    var keep = commune.value;
    commune.textContent = '';
    commune.appendChild(placeholder(list.length ? commune.dataset.placeholder : commune.dataset.placeholderEmpty));
    list.forEach(function (item) {
      var option = document.createElement('option');
      option.value = String(item.code);
      option.textContent = item.name;
      if (option.value === keep) { option.selected = true; }
      commune.appendChild(option);
    });
  }

  function load(code) {
    if (!code) { fill([]); return; }
    if (cache[code]) { fill(cache[code]); return; }
    commune.disabled = true;
    fetch(box.dataset.api + '?province=' + encodeURIComponent(code), {credentials: 'same-origin'})
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (data) {
        cache[code] = data.communes;
        if (province.value === code) { fill(data.communes); }
      })
      .catch(function () {
        // Offline or failing: fall back to the server round trip.
        if (button) { button.hidden = false; }
      })
      .then(function () { commune.disabled = false; });
  }

  if (button) { button.hidden = true; }
  province.addEventListener('change', function () { load(province.value); });

  // Type-ahead: the list narrows to what is typed, former communes and districts included.
  var search = box.querySelector('[data-commune-search]');
  var find = box.querySelector('[data-find-commune]');
  if (search) {
    var timer = null;
    if (find) { find.hidden = true; }
    search.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') { event.preventDefault(); }  // Enter must not send the form
    });
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var code = province.value, typed = search.value.trim();
        if (!code) { return; }
        if (!typed) { load(code); return; }
        fetch(box.dataset.api + '?province=' + encodeURIComponent(code) + '&q=' + encodeURIComponent(typed),
              {credentials: 'same-origin'})
          .then(function (response) { if (!response.ok) { throw new Error('HTTP ' + response.status); } return response.json(); })
          .then(function (data) {
            if (search.value.trim() !== typed) { return; }
            fill(data.communes);
            if (data.communes.length === 1) { commune.value = String(data.communes[0].code); }
          })
          .catch(function () { if (find) { find.hidden = false; } });
      }, 250);
    });
  }
}());
