/* Copy buttons beside the transfer details (progressive enhancement).
   Without JavaScript, or without the Clipboard API, the buttons stay hidden and the
   values remain plain selectable text. Each button copies its data-copy text and
   says so for two seconds (data-copied holds the translated "Copied"). */
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }
  var buttons = document.querySelectorAll("button.copy[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var label = button.textContent;
    var timer = null;
    button.hidden = false;
    function selectValue() {  // copying was refused: select the text so a long-press copies it
      var range = document.createRange();
      range.selectNodeContents(button.parentNode.querySelector(".copy-value"));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = button.getAttribute("data-copied");
        button.classList.add("copied");
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = label;
          button.classList.remove("copied");
        }, 2000);
      }, selectValue);
    });
  });
})();
