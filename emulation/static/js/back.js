// "Back to the page you were on": going back in the history lets the browser restore what the
// user had typed (a plain link would load the page afresh and lose it).
document.querySelectorAll("[data-back]").forEach(function (link) {
  link.addEventListener("click", function (event) {
    if (window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
});
