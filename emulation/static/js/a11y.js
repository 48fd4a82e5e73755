// Keyboard and screen-reader help shared by every page.
(function () {
  // A page that comes back with refused fields takes the focus to its error summary (read
  // out at once), or to the first refused field when the page has no summary.
  function focusErrors() {
    var target = document.querySelector("[data-error-summary]") ||
      document.querySelector("[aria-invalid=true]:not(fieldset)");
    if (target && !target.contains(document.activeElement)) {
      target.focus();
    }
  }

  // A table wider than the screen scrolls sideways: keyboard users must be able to reach
  // it to scroll it, and a screen reader names it after its caption or section heading.
  function scrollableTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth || wrap.scrollHeight > wrap.clientHeight;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var caption = wrap.querySelector("caption");
        var section = wrap.closest("section, .card");
        var heading = section && section.querySelector("h2, h3");
        var name = (caption || heading || document.querySelector("h1") || {}).textContent;
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (name || document.title).trim().replace(/\s+/g, " "));
        wrap.dataset.scrollFocus = "1";
      } else if (!scrolls && wrap.dataset.scrollFocus) {
        ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (attribute) {
          wrap.removeAttribute(attribute);
        });
      }
    });
  }

  // A table's room changes with the window (and a phone turned sideways): check again.
  var watcher = window.ResizeObserver ? new ResizeObserver(scrollableTables) : null;
  window.addEventListener("resize", scrollableTables);
  document.addEventListener("DOMContentLoaded", function () {
    scrollableTables();
    if (watcher) {
      Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
        watcher.observe(wrap);
      });
    }
    focusErrors();
  });
})();
