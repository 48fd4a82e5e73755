// Refuse an oversized file as soon as it is chosen, instead of after a long upload that
// ends on the "file too large" page. The server checks everything again; this only saves time.
(function () {
  var form = document.getElementById("dossier-form");
  if (!form) { return; }
  var perFile = Number(form.dataset.maxFileBytes);
  var perSave = Number(form.dataset.maxRequestBytes);
  var inputs = form.querySelectorAll("input[type=file]");

  function megabytes(bytes) {
    return (bytes / 1048576).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 });
  }

  function say(anchor, text) {
    var box = anchor.parentNode.querySelector(":scope > .upload-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "upload-error";
      box.setAttribute("role", "alert");
      anchor.insertAdjacentElement("afterend", box);
    }
    box.textContent = text;
    box.hidden = !text;
    if (anchor.type === "file") {  // the refused file input names its reason, as refused fields do
      box.id = box.id || anchor.id + "-upload-err";
      var others = (anchor.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== box.id;
      });
      if (text) { others.push(box.id); }
      anchor.setAttribute("aria-describedby", others.join(" "));
      if (text) { anchor.setAttribute("aria-invalid", "true"); } else { anchor.removeAttribute("aria-invalid"); }
    }
  }

  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("change", function () {
      var big = Array.prototype.filter.call(input.files, function (file) { return file.size > perFile; });
      if (big.length) {
        say(input, form.dataset.tooBig
          .replace("%(name)s", big[0].name)
          .replace("%(size)s", megabytes(big[0].size)));
        input.value = "";
      } else {
        say(input, "");
      }
    });
  });

  form.addEventListener("submit", function (event) {
    var total = 0;
    Array.prototype.forEach.call(inputs, function (input) {
      Array.prototype.forEach.call(input.files, function (file) { total += file.size; });
    });
    var actions = form.querySelector(".form-actions");
    if (total > perSave && actions) {
      event.preventDefault();
      say(actions.lastElementChild, form.dataset.tooMuch.replace("%(size)s", megabytes(total)));
    }
  });
})();
