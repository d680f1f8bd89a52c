// "Chia sẻ": the phone's own share sheet (Zalo, Messenger…) where the browser has one,
// otherwise the link is copied. Without JavaScript the <details> shows the link and an SMS link.
(function () {
  var box = document.querySelector("details.share");
  if (!box) return;
  var summary = box.querySelector("summary");
  var url = box.getAttribute("data-share-url");
  var title = box.getAttribute("data-share-title");
  summary.addEventListener("click", function (event) {
    if (navigator.share) {
      event.preventDefault();
      navigator.share({ title: title, url: url }).catch(function () { box.open = true; });
    } else if (navigator.clipboard && window.isSecureContext) {
      event.preventDefault();
      navigator.clipboard.writeText(url).then(function () {
        summary.textContent = box.getAttribute("data-copied");
      }, function () { box.open = true; });
    }
  });
  var input = box.querySelector("input");
  if (input) input.addEventListener("focus", function () { input.select(); });
})();
