"""A small PDF writer for forms drawn from a layout model: fonts, text measurement, subsets, pages.

Used by generator.render.checklist_pdf. Fonts are found by fontconfig (fontconfig-py) through
fonts/fonts.conf (the same names the CSS uses: 仿宋_GB2312 -> FandolFang ...), measured and subset by
HarfBuzz (uharfbuzz; the library WeasyPrint and Pango use), embedded as CID fonts (Identity-H, glyph ids
kept) with a ToUnicode map, so text can be searched and extracted. The PDF objects are written by pydyf,
WeasyPrint's own PDF writer. Several PDFs made from one set of pages share each font subset: its objects
are made once and added first to every file, so they keep their numbers (as
generator.render.forms_pdf.split_pdf does for WeasyPrint's chunks).
"""
from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import pydyf
import uharfbuzz as hb

MM = 72 / 25.4                   # points per millimetre


@lru_cache(maxsize=None)
def find_font(pattern: str) -> tuple[str, int]:
    """(file, index in a collection) fontconfig picks for a pattern such as "黑体:style=Regular"."""
    from generator.render.base import use_project_fonts
    use_project_fonts()                               # fonts.conf must be set before fontconfig loads
    import fontconfig
    match = fontconfig.match(pattern, select=("file", "index")) or {}
    if not match.get("file"):
        from generator.errors import RenderError
        raise RenderError(f"找不到字体：{pattern}（请运行 scripts/setup.sh）",
                          f"no font found for {pattern} (run scripts/setup.sh)")
    return match["file"], match.get("index") or 0


class Face:
    """One font file: glyph lookup and advances (font units), vertical extents, subsetting."""

    number = 0                   # its /F name in the pages' resources

    def __init__(self, path: str, index: int = 0):
        self.path, self.index = path, index
        self._face = hb.Face(hb.Blob.from_file_path(path), index)
        self._font = hb.Font(self._face)
        self.upem = self._face.upem
        ext = self._font.get_font_extents("ltr")
        self.ascent, self.descent = ext.ascender / self.upem, ext.descender / self.upem   # em, descent < 0
        self._glyphs: dict[str, tuple[int, float] | None] = {}

    def glyph(self, ch: str) -> tuple[int, float] | None:
        """(glyph id, advance in em) or None when the font has no glyph for the character."""
        try:
            return self._glyphs[ch]
        except KeyError:
            gid = self._font.get_nominal_glyph(ord(ch))
            g = None if gid is None else (gid, self._font.get_glyph_h_advance(gid) / self.upem)
            self._glyphs[ch] = g
            return g

    def subset(self, gids) -> bytes:
        """The font holding only ``gids`` (glyph ids kept: the content streams were written with them)."""
        inp = hb.SubsetInput()
        inp.glyph_set.update(set(gids) | {0})
        inp.flags = hb.SubsetFlags.RETAIN_GIDS
        try:
            return hb.subset(self._face, inp).blob.data
        except RuntimeError:                          # uharfbuzz: hb_subset_or_fail gave nothing
            from generator.errors import RenderError
            raise RenderError(f"字体子集化失败：{self.path}", f"could not subset the font {self.path}") from None


class FontFamily:
    """A font and its fallbacks (a character the first lacks comes from the next, as Pango does)."""

    def __init__(self, name: str, faces: list[Face]):
        self.name, self.faces = name, faces
        self._runs: dict[str, tuple[int, int, float]] = {}

    def glyph(self, ch: str) -> tuple[int, int, float]:
        """(face number, glyph id, advance in em); .notdef of the first face when no face has it."""
        try:
            return self._runs[ch]
        except KeyError:
            hit = next(((k, gl) for k, face in enumerate(self.faces) if (gl := face.glyph(ch)) is not None), None)
            if hit is None:                       # no face has it: the first face's space, of its width
                space = self.faces[0].glyph(" ")
                hit = (0, (0, space[1] if space else 0.5))
            i, g = hit
            self._runs[ch] = (i, g[0], g[1])
            return self._runs[ch]


@dataclass
class Text:
    """A run of glyphs of one face at one size: drawn as one text object."""
    face: Face
    size: float
    x: float                     # points from the left edge of the paper
    y: float                     # baseline, points from the top of the paper
    gids: list[int]
    chars: str
    gray: float = 0.0


@dataclass
class Page:
    width: float
    height: float
    texts: list[Text] = field(default_factory=list)
    rects: list[tuple[float, float, float, float, float]] = field(default_factory=list)   # x, y, w, h, line width

    def content(self) -> pydyf.Stream:
        """The page's content stream: rules first, then text in reading order (extracted text follows it).
        The operators are formatted here rather than with pydyf.Stream's helpers (rectangle, set_text_matrix
        ...), which format every number on its own and made the files twice as slow to write."""
        h = self.height
        out = []
        if self.rects:
            out.append("0 G")
            width = None
            for x, y, w, hh, lw in self.rects:
                if lw != width:
                    out.append(f"{lw:.3f} w")
                    width = lw
                out.append(f"{x:.2f} {h - y - hh:.2f} {w:.2f} {hh:.2f} re S")
        gray = None
        for t in self.texts:
            if t.gray != gray:
                out.append(f"{t.gray:g} g")
                gray = t.gray
            out.append(f"BT /F{t.face.number} {t.size:g} Tf 1 0 0 1 {t.x:.2f} {h - t.y:.2f} Tm <"
                       + "".join(f"{g:04x}" for g in t.gids) + "> Tj ET")        # glyph ids (Identity-H)
        return _compressed("\n".join(out).encode("ascii"))


class FontObjects:
    """The embedded fonts shared by a set of PDFs: each face used, subset to the glyphs of all of them.
    Their pydyf objects are made once and added first to every file made from them, so they keep the
    same numbers in each; the font programs are compressed once here, not once per file."""

    def __init__(self, pages: list[Page]):
        used: dict[int, tuple[Face, dict[int, str]]] = {}
        for page in pages:
            for t in page.texts:
                entry = used.setdefault(id(t.face), (t.face, {}))
                for g, ch in zip(t.gids, t.chars):
                    entry[1].setdefault(g, ch)
        self._numbering = pydyf.PDF()                 # numbers the objects as every file will
        self.objects: list[pydyf.Object] = []
        self.font_refs: dict[int, bytes] = {}         # Face.number -> reference to its Type0 font
        for face, to_unicode in used.values():
            self._add_font(face, to_unicode)
        self.objects = [_Serialised(obj) for obj in self.objects]

    def _add(self, obj: pydyf.Object) -> bytes:
        self._numbering.add_object(obj)
        self.objects.append(obj)
        return obj.reference

    def _add_font(self, face: Face, to_unicode: dict[int, str]) -> None:
        data = face.subset(to_unicode)
        otf = data[:4] == b"OTTO"
        name = pydyf.name(f"{_tag(face, to_unicode)}+"
                          + os.path.splitext(os.path.basename(face.path))[0].replace(" ", "-"))
        font_file = _compressed(data, {"Subtype": "/OpenType"} if otf else {"Length1": len(data)})
        file_ref = self._add(font_file)
        widths = pydyf.Array()
        for g, ch in sorted(to_unicode.items()):
            glyph = face.glyph(ch)
            widths += [g, pydyf.Array([round(glyph[1] * 1000) if glyph else 0])]
        asc, desc = round(face.ascent * 1000), round(face.descent * 1000)
        descriptor = self._add(pydyf.Dictionary({
            "Type": "/FontDescriptor", "FontName": name, "Flags": 4,
            "FontBBox": pydyf.Array([0, desc, 1000, asc]), "ItalicAngle": 0, "Ascent": asc,
            "Descent": desc, "CapHeight": asc, "StemV": 80, f"FontFile{3 if otf else 2}": file_ref}))
        cid = self._add(pydyf.Dictionary({
            "Type": "/Font", "Subtype": f"/CIDFontType{0 if otf else 2}", "BaseFont": name,
            "CIDSystemInfo": pydyf.Dictionary({"Registry": pydyf.String("Adobe"),
                                               "Ordering": pydyf.String("Identity"), "Supplement": 0}),
            "CIDToGIDMap": "/Identity", "FontDescriptor": descriptor, "W": widths}))
        cmap = self._add(_compressed(_to_unicode_cmap(to_unicode)))
        self.font_refs[face.number] = self._add(pydyf.Dictionary({
            "Type": "/Font", "Subtype": "/Type0", "BaseFont": name, "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid]), "ToUnicode": cmap}))

    def pdf(self, pages: list[Page], info: dict[str, str]) -> bytes:
        """A PDF file of ``pages`` using these fonts; deterministic (no dates, no /ID)."""
        doc = pydyf.PDF()
        for obj in self.objects:
            if obj.number != len(doc.objects):        # its references were written with that number
                raise AssertionError(f"pydyf numbered object {obj.number} as {len(doc.objects)}")
            doc.add_object(obj)
        resources = pydyf.Dictionary({"Font": pydyf.Dictionary(
            {f"F{n}": ref for n, ref in sorted(self.font_refs.items())})})
        for page in pages:
            content = page.content()
            doc.add_object(content)
            doc.add_page(pydyf.Dictionary({
                "Type": "/Page", "Parent": doc.pages.reference,
                "MediaBox": pydyf.Array([0, 0, round(page.width, 2), round(page.height, 2)]),
                "Resources": resources, "Contents": content.reference}))
        for key, value in info.items():
            doc.info[key] = pydyf.String(value)
        out = io.BytesIO()
        doc.write(out, version=b"1.7")
        return out.getvalue()


class _Serialised(pydyf.Object):
    """A numbered pydyf object turned into bytes once: the font objects go unchanged into every file of a
    chunk, and serialising their glyph width arrays again for each file cost more than the rest of it."""

    def __init__(self, obj: pydyf.Object):
        super().__init__()
        self.number, self._data = obj.number, obj.data

    @property
    def data(self) -> bytes:
        return self._data


def _compressed(data: bytes, extra: dict | None = None) -> pydyf.Stream:
    """A stream whose data is deflated now, once (pydyf would deflate it again for every file)."""
    return pydyf.Stream([zlib.compress(data, 6)], {**(extra or {}), "Filter": "/FlateDecode"})


def _tag(face: Face, to_unicode: dict) -> str:
    """The six-letter subset tag of a font name (stable: from the glyph set)."""
    import hashlib
    digest = hashlib.md5(repr((face.path, sorted(to_unicode))).encode(), usedforsecurity=False).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _to_unicode_cmap(to_unicode: dict[int, str]) -> bytes:
    items = sorted(to_unicode.items())
    out = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
           "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
           "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
           "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange"]
    for i in range(0, len(items), 100):
        part = items[i:i + 100]
        out.append(f"{len(part)} beginbfchar")
        out += [f"<{g:04x}> <{ch.encode('utf-16-be').hex()}>" for g, ch in part]
        out.append("endbfchar")
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(out).encode("ascii")
