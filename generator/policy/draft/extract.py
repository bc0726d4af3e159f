"""Text out of a published file: TXT, DOCX (python-docx), PDF with a text layer (pypdf), HTML (stdlib parser).

The result is a list of paragraphs. Normalisation is small and stated, because quotes are checked against it:
full-width digits, letters and ％ become ASCII (8０％ → 80%: the check's forms of a value are ASCII), and white space
between two CJK characters or a CJK character and a digit is dropped (PDF and DOCX split lines and runs with
spaces: "涉及居民 1176 户" → "涉及居民1176户"). A paragraph broken by a line or page break (no closing punctuation,
the next line not a heading) is joined again.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from generator.errors import InputError

SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’、，。；：？！（）《》〔〕【】…—·"
# (a tab separates table cells: it stays)
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}0-9%.])[ \u00a0\u3000]+(?=[{_CJK}0-9])|(?<=[{_CJK}])[ \u00a0\u3000]+(?=[0-9A-Za-z%])")
_FULLWIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "．": "."})
# a line that starts a new paragraph even when the previous one has no closing punctuation
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]|附\s*件|[0-9]{4}年\d{1,2}月\d{1,2}日$)")
_CLOSED = tuple("。；：！？”）》」") + ("通知", "方案", "意见", "决定", "办法", "计划", "标准", "文件", "号")


PAGE_NUMBER = re.compile(r"^[—－\-–]\s*\d+\s*[—－\-–]$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")


def width(line: str) -> float:
    """Printed width in Chinese characters: a digit or Latin letter is half one."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in line)


def normalise(line: str) -> str:
    line = line.translate(_FULLWIDTH).strip("\t")       # a leading tab aligns a signature; inner tabs part cells
    line = _SPACE_IN_CJK.sub("", line)
    return re.sub(r"[ \u00a0\u3000]{2,}", " ", line).strip(" \u00a0\u3000")


def paragraphs(lines: list[str], *, wrapped: bool = False) -> list[str]:
    """Lines → paragraphs: empty lines dropped. A line ending in ， or 、 is continued by the next one (a page or line
    break inside a sentence); with ``wrapped`` (a PDF's text layer, where every printed line is a line), so is a line
    that fills the page width and has no closing punctuation. A heading always starts a paragraph."""
    norm_lines = [x for x in (normalise(raw) for raw in lines) if not PAGE_NUMBER.match(x)]
    full = max((width(x) for x in norm_lines), default=0)
    # the page width is known only when several lines fill it; otherwise no line is taken for a wrapped one
    wrapped = wrapped and sum(1 for x in norm_lines if width(x) >= 0.9 * full) >= 3
    out: list[str] = []
    open_ = False
    for line in norm_lines:
        if not line:
            continue
        if open_ and out and not HEADING.match(line):
            out[-1] += line
        else:
            out.append(line)
        last = line
        # a line that stops mid-sentence was broken by the layout; a short one is a title or a table cell
        open_ = "\t" not in last and (last.endswith(("，", "、", ",")) or (
            wrapped and not last.endswith(_CLOSED) and width(last) >= 0.85 * full))
    return out


def read_txt(path: Path) -> list[str]:
    from generator.policy.yamlsrc import read_text
    return read_text(path).splitlines()


def read_docx(path: Path) -> list[str]:
    """Paragraphs and table rows in document order; a row is its cells joined by a tab."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    d = docx.Document(str(path))
    lines: list[str] = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, d).text.replace("\n", ""))     # a line break inside a title
            lines.append("")                       # a DOCX paragraph ends a paragraph
        elif tag == "tbl":
            for row in Table(block, d).rows:
                cells: list[str] = []
                for c in row.cells:               # merged cells repeat: keep one
                    t = c.text.strip()
                    if not cells or cells[-1] != t:
                        cells.append(t)
                lines.append("\t".join(cells))
            lines.append("")
    return lines


def read_pdf(path: Path) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    lines: list[str] = []
    for page in reader.pages:
        lines += (page.extract_text() or "").splitlines()
    lines = [x for x in lines if not (len(x.strip()) <= 80 and PAGE_FRAME.search(x.strip()) and  # a page printed
                                      not PAGE_META.search(x))]
    if not any(x.strip() for x in lines):                                                      # from a browser
        raise InputError("PDF 没有文字层（扫描件）：请先做文字识别，或提供 TXT/DOCX/HTML 版本",
                         "the PDF has no text layer (a scan): run OCR first or give a TXT/DOCX/HTML version",
                         location=str(path))
    return lines


class _Html(HTMLParser):
    BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
             "title", "dt", "dd", "pre", "blockquote"})
    SKIP = frozenset({"script", "style", "noscript", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.skip = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.lines.append("")
        elif tag in ("td", "th") and self.lines[-1]:
            self.lines[-1] += "\t"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self.skip:
            self.lines[-1] += data.replace("\n", " ")


# the frame of a government page around the text: navigation, tools, footer (a line holding one of these is dropped)
PAGE_FRAME = re.compile(r"首页|当前位置|您的位置|您现在的位置|字号|打印本页|关闭窗口|【打印】|【关闭】|分享到|浏览次数|访问量|"
                        r"版权所有|ICP备|公网安备|网站标识码|主办单位|承办单位|技术支持|联系我们|网站地图|^发布时间|^来源[：:]|"
                        r"^信息来源|^作者[：:]|^索\s*引\s*号|^【字体")


# a 公开目录 line of a government page says who published the text and its number: kept though it looks like frame
PAGE_META = re.compile(r"发布机构|发文机关|文件编号|发文字号|文\s*号")


def read_html(path: Path) -> list[str]:
    from generator.policy.yamlsrc import read_text
    p = _Html()
    p.feed(read_text(path))
    return [x for x in p.lines if not (len(x.strip()) <= 80 and PAGE_FRAME.search(x.strip()) and
                                       not PAGE_META.search(x))]


def extract(path: str | Path) -> list[str]:
    """The paragraphs of a published file."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", "no such file", location=str(path))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"不能读取“{suffix or '无扩展名'}”文件：请提供 TXT、DOCX、PDF（有文字层）或 HTML",
                         f"cannot read a '{suffix}' file: give TXT, DOCX, PDF (with a text layer) or HTML",
                         location=str(path))
    try:
        if suffix == ".docx":
            lines = read_docx(path)
        elif suffix == ".pdf":
            lines = read_pdf(path)
        elif suffix in (".html", ".htm"):
            lines = read_html(path)
        else:
            lines = read_txt(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001  (a damaged DOCX/PDF fails inside its library: say which file, no traceback)
        raise InputError(f"无法读取文件内容：{type(exc).__name__}: {exc}", f"cannot read the file: {exc}",
                         location=str(path)) from None
    text = "".join(lines)
    if "\x00" in text or sum(ch < " " and ch not in "\t\r\n" for ch in text) > max(8, len(text) // 100):
        raise InputError("文件不是文本（含二进制内容）：请提供文件的文字版（TXT、DOCX、有文字层的 PDF 或 HTML）",
                         "the file is not text (binary content): give a text version", location=str(path))
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        raise InputError("文件中没有中文文字，无从起草（扫描件请先识别成文字，或提供 TXT/DOCX）",
                         "the file holds no Chinese text to draft from", location=str(path))
    return paragraphs(lines, wrapped=suffix == ".pdf")
