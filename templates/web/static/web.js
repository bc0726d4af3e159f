// The only script: while a workbook is uploaded and checked, say so and keep the button from being pressed twice;
// while a slow PDF is made, say so too. Everything works without it.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (!form.matches || !form.matches("form[data-progress]")) return;
  var note = form.querySelector(".progress");
  var button = form.querySelector("button[type=submit]");
  if (note) note.hidden = false;
  if (button) { button.disabled = true; button.textContent = "正在检查…"; }
});

// PDFs of many projects take a while (minutes for 200): the browser downloads the file when it is ready.
document.addEventListener("click", function (e) {
  var link = e.target.closest && e.target.closest("a.slow");
  if (!link) return;
  var note = link.closest("li").querySelector(".wait");
  if (!note) return;
  note.hidden = false;
  note.innerHTML = "";
  var spin = document.createElement("span");
  spin.className = "spinner";
  spin.setAttribute("aria-hidden", "true");
  note.appendChild(spin);
  note.appendChild(document.createTextNode("正在生成 PDF…文件准备好后浏览器会自动下载。项目较多时需要几分钟，请勿重复点击。"));
});
