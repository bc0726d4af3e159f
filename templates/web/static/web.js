// The only script: while a workbook is uploaded and checked, say so and keep the button from being pressed twice.
// Everything works without it.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (!form.matches || !form.matches("form[data-progress]")) return;
  var note = form.querySelector(".progress");
  var button = form.querySelector("button[type=submit]");
  if (note) note.hidden = false;
  if (button) { button.disabled = true; button.textContent = "正在检查…"; }
});
