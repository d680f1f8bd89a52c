/* Progress page of a background job. Without this script the page reloads itself every
   2 s (a meta refresh inside <noscript>); with it the bar moves every second and the page
   reloads once, when the job has finished, to show the result. */
(function () {
  'use strict';
  var box = document.querySelector('[data-job-status]');
  if (!box || !window.fetch || !window.JSON) { return; }
  var bar = box.querySelector('progress');
  var label = box.querySelector('[data-job-label]');
  var figure = box.querySelector('[data-job-figure]');
  var format = window.Intl && Intl.NumberFormat ? new Intl.NumberFormat(document.documentElement.lang || 'vi') : null;

  function number(value) { return format ? format.format(value) : String(value); }

  function show(state) {
    if (state.finished) { window.location.reload(); return; }
    if (label) { label.textContent = state.status_label; }
    if (state.total) {
      bar.max = state.total;
      bar.value = state.done;
      if (figure) {
        figure.textContent = figure.getAttribute('data-template')
          .replace('{done}', number(state.done)).replace('{total}', number(state.total));
      }
    }
    window.setTimeout(poll, 1000);
  }

  function poll() {
    fetch(box.getAttribute('data-job-status'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(show)
      .catch(function () { window.setTimeout(function () { window.location.reload(); }, 2000); });
  }

  window.setTimeout(poll, 1000);
}());
