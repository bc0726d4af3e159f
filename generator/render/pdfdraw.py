"""A small PDF writer for forms drawn from a layout model: fonts, text measurement, subsets, pages.

Used by generator.render.checklist_pdf. Fonts are found by fontconfig through fonts/fonts.conf (the
same names the CSS uses: 仿宋_GB2312 -> FandolFang ...), measured and subset by HarfBuzz (the library
WeasyPrint and Pango use), embedded as CID fonts (Identity-H, glyph ids kept) with a ToUnicode map, so
text can be searched and extracted. Several PDFs made from one set of pages share each font subset,
serialised once (as generator.render.forms_pdf.split_pdf does for WeasyPrint's chunks).
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

MM = 72 / 25.4                   # points per millimetre

_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t; typedef struct hb_font_t hb_font_t;
typedef struct hb_set_t hb_set_t; typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_codepoint_t; typedef int32_t hb_position_t; typedef int hb_bool_t;
typedef struct { hb_position_t ascender; hb_position_t descender; hb_position_t line_gap;
                 hb_position_t r9, r8, r7, r6, r5, r4, r3, r2, r1; } hb_font_extents_t;
hb_blob_t *hb_blob_create_from_file(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
unsigned int hb_face_get_upem(const hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
hb_font_t *hb_font_create(hb_face_t *face);
hb_bool_t hb_font_get_nominal_glyph(hb_font_t *font, hb_codepoint_t unicode, hb_codepoint_t *glyph);
hb_position_t hb_font_get_glyph_h_advance(hb_font_t *font, hb_codepoint_t glyph);
hb_bool_t hb_font_get_h_extents(hb_font_t *font, hb_font_extents_t *extents);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
HB_SUBSET_FLAGS_RETAIN_GIDS = 0x2         # the content streams were written with the font's own glyph ids


def _dlopen(ffi, name: str):
    try:
        return ffi.dlopen(name)
    except OSError:
        from generator.errors import RenderError
        raise RenderError(f"缺少系统库 {name}（请运行 scripts/setup.sh）",
                          f"the system library {name} is missing (run scripts/setup.sh)") from None


@lru_cache(maxsize=1)
def _hb():
    from cffi import FFI
    ffi = FFI()
    ffi.cdef(_CDEF)
    return ffi, _dlopen(ffi, "libharfbuzz.so.0"), _dlopen(ffi, "libharfbuzz-subset.so.0")


_FC_CDEF = """
typedef struct _FcConfig FcConfig; typedef struct _FcPattern FcPattern; typedef int FcBool;
typedef unsigned char FcChar8; typedef int FcResult;
FcConfig *FcInitLoadConfigAndFonts(void);
FcPattern *FcNameParse(const FcChar8 *name);
FcBool FcConfigSubstitute(FcConfig *config, FcPattern *p, int kind);
void FcDefaultSubstitute(FcPattern *pattern);
FcPattern *FcFontMatch(FcConfig *config, FcPattern *p, FcResult *result);
FcResult FcPatternGetString(const FcPattern *p, const char *object, int n, FcChar8 **s);
FcResult FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
void FcPatternDestroy(FcPattern *p);
"""


@lru_cache(maxsize=1)
def _fontconfig():
    """fontconfig with the project's fonts.conf (what `fc-match` does, in this process: ~100 ms per call saved)."""
    from cffi import FFI

    from generator.render.base import use_project_fonts
    use_project_fonts()
    ffi = FFI()
    ffi.cdef(_FC_CDEF)
    fc = _dlopen(ffi, "libfontconfig.so.1")
    return ffi, fc, fc.FcInitLoadConfigAndFonts()


def find_font(pattern: str) -> tuple[str, int]:
    """(file, index in a collection) fontconfig picks for a pattern such as "黑体:style=Regular"."""
    ffi, fc, config = _fontconfig()
    pat = fc.FcNameParse(pattern.encode())
    fc.FcConfigSubstitute(config, pat, 0)             # FcMatchPattern
    fc.FcDefaultSubstitute(pat)
    result = ffi.new("FcResult *")
    match = fc.FcFontMatch(config, pat, result)
    fc.FcPatternDestroy(pat)
    path, index = ffi.new("FcChar8 **"), ffi.new("int *")
    found = match != ffi.NULL and fc.FcPatternGetString(match, b"file", 0, path) == 0
    file = ffi.string(path[0]).decode() if found else ""
    if found and fc.FcPatternGetInteger(match, b"index", 0, index) != 0:
        index[0] = 0
    if match != ffi.NULL:
        fc.FcPatternDestroy(match)
    if not file:
        from generator.errors import RenderError
        raise RenderError(f"找不到字体：{pattern}（请运行 scripts/setup.sh）",
                          f"no font found for {pattern} (run scripts/setup.sh)")
    return file, index[0]


class Face:
    """One font file: glyph lookup and advances (font units), vertical extents, subsetting."""

    number = 0                   # its /F name in the pages' resources

    def __init__(self, path: str, index: int = 0):
        ffi, hb, _ = _hb()
        self.path, self.index = path, index
        self._blob = hb.hb_blob_create_from_file(path.encode())
        self._face = hb.hb_face_create(self._blob, index)
        self._font = hb.hb_font_create(self._face)
        self.upem = hb.hb_face_get_upem(self._face)
        ext = ffi.new("hb_font_extents_t *")
        hb.hb_font_get_h_extents(self._font, ext)
        self.ascent, self.descent = ext.ascender / self.upem, ext.descender / self.upem   # em, descent < 0
        self._gid = ffi.new("hb_codepoint_t *")
        self._glyphs: dict[str, tuple[int, float] | None] = {}

    def glyph(self, ch: str) -> tuple[int, float] | None:
        """(glyph id, advance in em) or None when the font has no glyph for the character."""
        try:
            return self._glyphs[ch]
        except KeyError:
            _, hb, _ = _hb()
            g = None
            if hb.hb_font_get_nominal_glyph(self._font, ord(ch), self._gid):
                gid = self._gid[0]
                g = (gid, hb.hb_font_get_glyph_h_advance(self._font, gid) / self.upem)
            self._glyphs[ch] = g
            return g

    def subset(self, gids) -> bytes:
        """The font holding only ``gids`` (glyph ids kept)."""
        ffi, hb, hbs = _hb()
        inp = hbs.hb_subset_input_create_or_fail()
        try:
            glyphs = hbs.hb_subset_input_glyph_set(inp)
            for g in sorted(set(gids) | {0}):
                hb.hb_set_add(glyphs, g)
            hbs.hb_subset_input_set_flags(inp, HB_SUBSET_FLAGS_RETAIN_GIDS)
            face = hbs.hb_subset_or_fail(self._face, inp)
            if face == ffi.NULL:
                from generator.errors import RenderError
                raise RenderError(f"字体子集化失败：{self.path}", f"could not subset the font {self.path}")
            blob = hb.hb_face_reference_blob(face)
            length = ffi.new("unsigned int *")
            data = ffi.buffer(hb.hb_blob_get_data(blob, length), length[0])[:]
            hb.hb_blob_destroy(blob)
            hb.hb_face_destroy(face)
            return data
        finally:
            hbs.hb_subset_input_destroy(inp)


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
            for i, face in enumerate(self.faces):
                g = face.glyph(ch)
                if g is not None:
                    break
            else:
                i, g = 0, (0, self.faces[0].glyph(" ")[1] if self.faces[0].glyph(" ") else 0.5)
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

    def content(self) -> bytes:
        """The page's content stream: rules first, then text in reading order (extracted text follows it)."""
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
                       + "".join(f"{g:04x}" for g in t.gids) + "> Tj ET")
        return "\n".join(out).encode("ascii")


def _stream(data: bytes, extra: str = "", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 6)
        extra += " /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra.encode()) + data + b"\nendstream"


def _pdf_string(text: str) -> bytes:
    return b"<feff" + text.encode("utf-16-be").hex().encode() + b">"


class FontObjects:
    """The embedded fonts shared by a set of PDFs: each face used, subset to the glyphs of all of them,
    serialised once as numbered objects 1..n (every file made from them starts with these bytes)."""

    def __init__(self, pages: list[Page]):
        used: dict[int, tuple[Face, dict[int, str]]] = {}
        for page in pages:
            for t in page.texts:
                entry = used.setdefault(id(t.face), (t.face, {}))
                for g, ch in zip(t.gids, t.chars):
                    entry[1].setdefault(g, ch)
        self.objects: list[bytes] = []
        self.font_refs: dict[int, int] = {}           # Face.number -> object number of its Type0 font
        for face, to_unicode in used.values():
            self._add_font(face, to_unicode)

    def _add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def _add_font(self, face: Face, to_unicode: dict[int, str]) -> None:
        data = face.subset(to_unicode)
        otf = data[:4] == b"OTTO"
        name = f"/{_tag(face, to_unicode)}+{os.path.splitext(os.path.basename(face.path))[0].replace(' ', '-')}"
        file_ref = self._add(_stream(data, " /Subtype /OpenType" if otf else f" /Length1 {len(data)}"))
        widths = " ".join(f"{g} [{round(face.glyph(ch)[1] * 1000 if face.glyph(ch) else 0)}]"
                          for g, ch in sorted(to_unicode.items()))
        asc, desc = round(face.ascent * 1000), round(face.descent * 1000)
        descriptor = self._add((
            f"<< /Type /FontDescriptor /FontName {name} /Flags 4 /FontBBox [0 {desc} 1000 {asc}] "
            f"/ItalicAngle 0 /Ascent {asc} /Descent {desc} /CapHeight {asc} /StemV 80 "
            f"/FontFile{3 if otf else 2} {file_ref} 0 R >>").encode())
        cid = self._add((
            f"<< /Type /Font /Subtype /CIDFontType{0 if otf else 2} /BaseFont {name} "
            f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/CIDToGIDMap /Identity /FontDescriptor {descriptor} 0 R /W [{widths}] >>").encode())
        cmap = self._add(_stream(_to_unicode_cmap(to_unicode)))
        self.font_refs[face.number] = self._add((
            f"<< /Type /Font /Subtype /Type0 /BaseFont {name} /Encoding /Identity-H "
            f"/DescendantFonts [{cid} 0 R] /ToUnicode {cmap} 0 R >>").encode())

    def pdf(self, pages: list[Page], info: dict[str, str]) -> bytes:
        """A PDF file of ``pages`` using these fonts; deterministic (no dates, no /ID)."""
        bodies = list(self.objects)
        fonts = " ".join(f"/F{n} {ref} 0 R" for n, ref in sorted(self.font_refs.items()))
        base = len(bodies)
        catalog, tree = base + 1, base + 2
        bodies += [b"", b""]
        kids = []
        for page in pages:
            content = len(bodies) + 1
            bodies.append(_stream(page.content()))
            kids.append(len(bodies) + 1)
            bodies.append((f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {page.width:.2f} {page.height:.2f}] "
                           f"/Resources << /Font << {fonts} >> >> /Contents {content} 0 R >>").encode())
        bodies[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
        bodies[tree - 1] = (f"<< /Type /Pages /Count {len(kids)} /Kids [" + " ".join(f"{k} 0 R" for k in kids)
                            + "] >>").encode()
        bodies.append(b"<< " + b" ".join(b"/" + k.encode() + b" " + _pdf_string(v) for k, v in info.items()) + b" >>")
        info_ref = len(bodies)
        buf = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for n, body in enumerate(bodies, 1):
            offsets.append(len(buf))
            buf += b"%d 0 obj\n" % n + body + b"\nendobj\n"
        xref = len(buf)
        buf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
        buf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        buf += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                % (len(bodies) + 1, catalog, info_ref, xref))
        return bytes(buf)


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
