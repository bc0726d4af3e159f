// The only script: while a workbook is uploaded and checked, say so and keep the buttons from being pressed twice.
// Everything works without it.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (!form.matches || !form.matches("form[data-progress]")) return;
  var note = form.querySelector(".progress");
  var pressed = e.submitter;
  // a disabled button is not sent with the form: carry the pressed one's name and value (正式报送 / 试填报)
  if (pressed && pressed.name) {
    var keep = document.createElement("input");
    keep.type = "hidden";
    keep.name = pressed.name;
    keep.value = pressed.value;
    form.appendChild(keep);
  }
  if (note) note.hidden = false;
  form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  if (pressed) pressed.textContent = "正在检查…";
});
