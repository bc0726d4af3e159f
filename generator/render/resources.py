"""What a document template may pull into a document: files of the template pack and of the bundled
templates, and images given inline as ``data:``. Nothing else (docs/render.md, "Resources").

A template pack (``--templates DIR``) is data somebody sent. Whatever it names (``<img src>``, ``<link href>``,
CSS ``url()`` and ``@import``, ``<a rel="attachment">``, ``<object data>``, ``<embed src>``) is resolved here and
refused unless it is:

- ``file:`` whose real path (``..`` and symlinks resolved) lies inside an allowed root (the bundled ``templates/``
  and the pack, when the caller names it) and is a regular file of at most ``MAX_RESOURCE_BYTES``;
- ``data:`` with an image media type (``IMAGE_TYPES``).

Every other scheme (http, https, ftp, smb ...) is refused: a document is made from the pack alone. A refused or
missing resource is a ``ResourceError`` (a RenderError: exit 2, one located line), never a WeasyPrint traceback
and never a PDF that silently carries (or silently lacks) the file.

For Word documents (``check_docx``): a relationship with ``TargetMode="External"`` other than a hyperlink (a
linked picture, an attached template, a sub-document, an OLE link), an altChunk (imported HTML/RTF, whose own
links LibreOffice would follow), a field that pulls a file in
(INCLUDEPICTURE, INCLUDETEXT, LINK, DDE ...) and any DOCTYPE (external entities) are refused before LibreOffice
sees the document, and reported by ``gaizao templates check``.
"""
from __future__ import annotations

import base64
import io
import mimetypes
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from generator.errors import RenderError

MAX_RESOURCE_BYTES = 32 << 20        # one image or stylesheet of a template; a scanned seal is < 2 MB
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "image/bmp"})

_EXTRA_ROOTS: ContextVar[tuple[Path, ...]] = ContextVar("gaizao_resource_roots", default=())


class ResourceError(RenderError):
    """A template refers to something outside the pack, to the network, to a missing file, or to a
    ``data:`` that is not an image."""


def bundled_root() -> Path:
    from generator.paths import TEMPLATES          # not render.base: base asks this module (no circle)
    return TEMPLATES


def allowed_roots(extra: Iterable[str | Path | None] = ()) -> list[Path]:
    roots = [bundled_root(), *_EXTRA_ROOTS.get(), *[Path(r) for r in extra if r]]
    out = []
    for r in roots:
        try:
            out.append(Path(r).resolve(strict=True))
        except OSError:
            continue
    return out


@contextmanager
def pack_roots(*roots: str | Path | None) -> Iterator[None]:
    """Allow the files of a template pack (``--templates DIR``) besides the bundled templates while rendering."""
    token = _EXTRA_ROOTS.set(_EXTRA_ROOTS.get() + tuple(Path(r) for r in roots if r))
    try:
        yield
    finally:
        _EXTRA_ROOTS.reset(token)


def _short(url: str) -> str:
    return url if len(url) <= 120 else url[:100] + "…" + url[-15:]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def data_url(url: str) -> tuple[str, bytes]:
    """(media type, bytes) of a ``data:`` URL whose media type is an image; ResourceError otherwise."""
    head, sep, payload = url[5:].partition(",")
    if not sep:
        raise ResourceError(f"模板中的 data: 资源格式错误：{_short(url)}", f"malformed data: URL in the template: {_short(url)}")
    params = [p.strip() for p in head.split(";")]
    mtype = (params[0] or "text/plain").lower()
    if mtype not in IMAGE_TYPES:
        raise ResourceError(f"模板中的 data: 资源只允许图片（{'、'.join(sorted(IMAGE_TYPES))}），此处为“{mtype}”，已拒绝",
                            f"a data: URL in a template may only be an image ({', '.join(sorted(IMAGE_TYPES))}); "
                            f"this one is {mtype!r}: refused")
    if len(payload) > MAX_RESOURCE_BYTES * 2:
        raise ResourceError(f"模板中的 data: 图片超过 {MAX_RESOURCE_BYTES >> 20} MB，已拒绝",
                            f"a data: image in the template is over {MAX_RESOURCE_BYTES >> 20} MB: refused")
    try:
        body = base64.b64decode(unquote(payload), validate=False) if "base64" in [p.lower() for p in params[1:]] \
            else unquote(payload).encode("utf-8")
    except ValueError:
        raise ResourceError(f"模板中的 data: 图片无法解码：{_short(url)}",
                            f"a data: image in the template cannot be decoded: {_short(url)}") from None
    return mtype, body


def file_url_path(url: str, roots: list[Path] | None = None) -> Path:
    """The real path of a ``file:`` URL when it is a regular file inside ``roots``; ResourceError otherwise."""
    roots = allowed_roots() if roots is None else roots
    parts = urlsplit(url.split("?")[0].split("#")[0])
    if parts.netloc not in ("", "localhost"):
        raise ResourceError(f"模板引用了其他主机上的文件（{_short(url)}），已拒绝：文档只能使用模板包内的文件",
                            f"the template refers to a file on another host ({_short(url)}): refused; documents use "
                            "the files of the template pack only")
    raw = Path(url2pathname(parts.path))
    try:
        real = Path(os.path.realpath(raw))
    except (OSError, ValueError):
        real = raw
    if not _inside(real, roots):
        raise ResourceError(f"模板引用了模板包以外的文件（{_short(url)}），已拒绝加载：文档只能使用模板包与内置模板文件夹中的文件",
                            f"the template refers to a file outside templates/ and the template pack ({_short(url)}): "
                            "refused; documents use the files of the template pack and the bundled templates only")
    try:
        st = os.stat(real)
    except FileNotFoundError:
        raise ResourceError(f"模板引用的文件不存在：{real.name}（{_short(url)}）",
                            f"a file the template refers to does not exist: {real.name} ({_short(url)})") from None
    except OSError as exc:
        raise ResourceError(f"模板引用的文件无法读取：{real.name}（{exc.strerror}）",
                            f"a file the template refers to cannot be read: {real.name} ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ResourceError(f"模板引用的“{real.name}”不是普通文件（文件夹、管道或设备），已拒绝",
                            f"'{real.name}', referred to by the template, is not a regular file (a folder, pipe or "
                            "device): refused")
    if st.st_size > MAX_RESOURCE_BYTES:
        raise ResourceError(f"模板引用的文件“{real.name}”超过 {MAX_RESOURCE_BYTES >> 20} MB，已拒绝",
                            f"'{real.name}', referred to by the template, is over {MAX_RESOURCE_BYTES >> 20} MB: refused")
    return real


def fetch(url: str, roots: list[Path] | None = None) -> tuple[str, bytes, str]:
    """(url, bytes, media type) of an allowed resource; ResourceError for everything else."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        mtype, body = data_url(url)
        return url, body, mtype
    if scheme == "file":
        path = file_url_path(url, roots)
        with open(path, "rb") as fh:
            body = fh.read(MAX_RESOURCE_BYTES + 1)
        if len(body) > MAX_RESOURCE_BYTES:       # grew since it was looked at
            raise ResourceError(f"模板引用的文件“{path.name}”超过 {MAX_RESOURCE_BYTES >> 20} MB，已拒绝",
                                f"'{path.name}', referred to by the template, is over {MAX_RESOURCE_BYTES >> 20} MB")
        mtype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return path.as_uri(), body, mtype
    raise ResourceError(f"模板引用了网络或其他协议的资源（{_short(url)}），已拒绝：文档只能使用模板包内的文件，不联网",
                        f"the template refers to a network or other resource ({_short(url)}): refused; documents "
                        "use the files of the template pack only, never the network")


def weasy_fetcher_class() -> type[Any]:
    """A WeasyPrint URLFetcher that serves only what ``fetch`` allows; refusals are fatal and remembered."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
        def __init__(self, roots: Iterable[str | Path | None] = ()) -> None:
            super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
            self.roots = allowed_roots(roots)
            self.refused: list[ResourceError] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                real, body, mtype = fetch(url, self.roots)
            except ResourceError as exc:
                exc = ResourceError("PDF " + exc.message, "PDF: " + exc.message_en, location=exc.location)
                self.refused.append(exc)
                raise exc from None
            return URLFetcherResponse(real, body, {"Content-Type": mtype})

    return PackFetcher


@contextmanager
def refused_as_error(fetcher: Any = None) -> Iterator[None]:
    """WeasyPrint's FatalURLFetchingError (a BaseException that would escape handle_errors) as the ResourceError
    behind it; a refusal WeasyPrint swallowed anyway is raised after rendering."""
    from weasyprint.urls import FatalURLFetchingError
    try:
        yield
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, RenderError):
            raise cause from None
        if fetcher is not None and fetcher.refused:
            raise fetcher.refused[0] from None
        raise ResourceError(f"模板引用的资源无法加载：{exc}", f"a resource the template refers to cannot be loaded: {exc}") from None
    if fetcher is not None and fetcher.refused:
        raise fetcher.refused[0]


# -- HTML templates: what `templates check` reports before anything is rendered -----------------------------
_URL_ATTRS = re.compile(r"""\b(href|src|data|poster|srcset|xlink:href|background|action|formaction)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""",
                        re.I)
_CSS_URL = re.compile(r"""url\(\s*("[^"]*"|'[^']*'|[^)]*)\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+("[^"]*"|'[^']*')""", re.I)
_TAGS_NOT_ALLOWED = re.compile(r"<\s*(iframe|frame|frameset)\b", re.I)


def _strip_quotes(v: str) -> str:
    v = v.strip()
    return v[1:-1] if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'" else v


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _blank_jinja(source: str) -> str:
    """Jinja tags as spaces (newlines kept, so lines stay right): ``url('x')`` in an expression is no CSS url()."""
    return _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)


def html_references(source: str) -> list[tuple[str, int]]:
    """(URL, line) of every resource a template's HTML or CSS names (attributes, url(), @import), outside Jinja tags
    (what an expression prints is data, escaped on the way in)."""
    source = _blank_jinja(source)
    found = []
    for rx, group in ((_URL_ATTRS, 2), (_CSS_URL, 1), (_CSS_IMPORT, 1)):
        for m in rx.finditer(source):
            url = _strip_quotes(m.group(group))
            if rx is _URL_ATTRS and m.group(1).lower() == "srcset":
                urls = [u.strip().split()[0] for u in url.split(",") if u.strip()]
            else:
                urls = [url]
            for u in urls:
                found.append((u, source.count("\n", 0, m.start()) + 1))
    return found


def check_reference(url: str, base_dirs: list[Path], roots: list[Path]) -> ResourceError | None:
    """Why ``url`` (as written in a template, relative or not) would be refused; None when allowed or not a
    resource (an in-document anchor, a Jinja expression, a mailto link of an <a> that is not an attachment)."""
    u = url.strip()
    if not u or u.startswith("#"):
        return None
    scheme = u.split(":", 1)[0].lower() if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", u) else ""
    try:
        if scheme == "data":
            data_url(u)
            return None
        if scheme == "file":
            file_url_path(u, roots)
            return None
        if scheme:
            fetch(u, roots)       # raises: network or other scheme
            return None
        for base in base_dirs:     # relative: resolved against the bundled templates (WeasyPrint's base URL)
            try:
                file_url_path((base / unquote(u.split("?")[0].split("#")[0])).as_uri(), roots)
                return None
            except ResourceError as exc:
                last = exc
        return last
    except ResourceError as exc:
        return exc


def iframe_tags(source: str) -> list[int]:
    """Lines of <iframe>/<frame> tags (WeasyPrint ignores them, but a pack has no business with them)."""
    source = _blank_jinja(source)
    return [source.count("\n", 0, m.start()) + 1 for m in _TAGS_NOT_ALLOWED.finditer(source)]


# -- Word documents --------------------------------------------------------------------------------------------
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# a field that pulls a file in: the field type, then its argument (a quoted path, a path, a switch)
_FIELD_PULLS = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|LINK|DDEAUTO|DDE|IMPORT)\s+(\"[^\"]*\"|\S+)")
_INSTR = re.compile(rb"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"")


def docx_problems(data: bytes) -> list[tuple[str, str, str]]:
    """(part, what, target) of everything in a .docx that would pull a file in when the document is opened or
    printed: external relationships other than hyperlinks, file-pulling fields, DOCTYPE declarations."""
    from xml.etree import ElementTree
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return []
    out = []
    with zf:
        for info in zf.infolist():
            name = info.filename
            if not name.endswith((".xml", ".rels")) or info.file_size > 64 << 20:
                continue
            blob = zf.read(name)
            if b"<!DOCTYPE" in blob or b"<!ENTITY" in blob:
                out.append((name, "DOCTYPE", ""))
                continue
            if name.endswith(".rels"):
                try:
                    rels = ElementTree.fromstring(blob)
                except ElementTree.ParseError:
                    continue
                for r in rels:
                    kind = r.get("Type", "").rsplit("/", 1)[-1]
                    if (r.get("TargetMode") or "").lower() == "external" and r.get("Type") != _HYPERLINK:
                        out.append((name, kind, r.get("Target", "")))
                    elif kind == "aFChunk":     # an imported HTML/RTF chunk: its own <img src=file:…> would be loaded
                        out.append((name, "altChunk", r.get("Target", "")))
            elif name.startswith("word/") and (b"instrText" in blob or b"w:instr=" in blob):
                # a field's instruction may be split over several runs: the pieces joined (with and without a
                # space between) before matching; a word inside a hyperlink's URL is not followed by its argument
                pieces = [(a or b).decode("utf-8", "replace") for a, b in _INSTR.findall(blob)]
                seen = set()
                for instr in (" ".join(pieces), "".join(pieces)):
                    for m in _FIELD_PULLS.finditer(instr.upper()):
                        hit = (m.group(1), instr[m.start(2):m.end(2)].strip('"'))
                        if hit not in seen:
                            seen.add(hit)
                            out.append((name, *hit))
    return out


def check_docx(data: bytes, name: str) -> None:
    """Refuse a Word document that would pull an external file in (ResourceError naming the first such link)."""
    problems = docx_problems(data)
    if problems:
        part, what, target = problems[0]
        more = f"（另有 {len(problems) - 1} 处）" if len(problems) > 1 else ""
        more_en = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ResourceError(f"Word 文档 {name} 引用外部文件（{part}：{what} {_short(target)}）{more}，已拒绝：文档只能使用模板包内的内容",
                            f"the Word document {name} links an external file ({part}: {what} {_short(target)}){more_en}: "
                            "refused; documents use the content of the template pack only", location=name)
