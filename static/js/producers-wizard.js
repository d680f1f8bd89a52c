/* Small live previews for the wizard; the server computes and shows the same on submit. */
(function () {
  'use strict';

  /* The account holder name as banks print it: upper case, no diacritics. */
  function bankName(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd').replace(/Đ/g, 'D').toUpperCase().replace(/\s+/g, ' ').trim();
  }

  var holder = document.querySelector('[data-holder-name]');
  var holderOutput = document.querySelector('[data-holder-preview]');
  if (holder && holderOutput && String.prototype.normalize) {
    var holderValue = holderOutput.querySelector('strong');
    var showName = function () {
      var name = bankName(holder.value);
      holderValue.textContent = name;
      holderOutput.hidden = !name;
    };
    holder.addEventListener('input', showName);
  }

  /* A certificate is valid for 36 months from its decision date. */
  function addMonths(date, months) {
    var day = date.getUTCDate();
    var result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
    var lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
    result.setUTCDate(Math.min(day, lastDay));
    return result;
  }

  function two(n) { return (n < 10 ? '0' : '') + n; }

  var expiry = document.querySelector('[data-expiry]');
  if (expiry) {
    var input = expiry.querySelector('input');
    var output = expiry.querySelector('[data-expiry-output]');
    var showExpiry = function () {
      var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
      if (!match) { output.hidden = true; return; }
      var until = addMonths(new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])), 36);
      var text = two(until.getUTCDate()) + '/' + two(until.getUTCMonth() + 1) + '/' + until.getUTCFullYear();
      var now = new Date();
      var expired = until.getTime() < Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
      var label = expired ? expiry.dataset.labelExpired : expiry.dataset.labelValid;
      output.textContent = label.replace('{date}', text);
      output.classList.toggle('expired', expired);
      output.hidden = false;
    };
    input.addEventListener('change', showExpiry);
    input.addEventListener('input', showExpiry);
  }
}());
