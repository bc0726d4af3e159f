"""The hostile strings of the corpus (issues 9 and 18): what a county's cell may hold that no document should
show as it is, or that tries to be more than text. One list, used by every test that feeds hostile text
through the commands (test_hostile_text.py) and by the fuzzers (test_fuzz.py).

Each entry: (name, text). ``as_xlsx_cell(text)`` is how the text gets into a workbook: Excel stores a control
character as the escape ``_x000B_`` (openpyxl refuses the raw character), and every reader decodes it back.
"""
from __future__ import annotations

import re

HOSTILE: list[tuple[str, str]] = [
    # control characters (issue 18 item 2: one of these stopped register documents and report kaigong)
    ("x0001-escape", "_x0001_坏小区"),                  # written as is: the reader decodes it to U+0001
    ("vertical-tab", "某某\x0b小区"),
    ("form-feed", "某某\x0c小区"),
    ("nul", "某某\x00小区"),
    ("bell-backspace", "\x07\x08某某小区"),
    ("del", "某某\x7f小区"),
    ("c1-nel", "某某\x85小区"),
    ("c1-csi", "\x9b2J某某小区"),
    ("ansi-clear", "\x1b[2J\x1b[H某某小区"),
    ("osc-title", "\x1b]0;owned\x07某某小区"),
    ("osc-hyperlink", "\x1b]8;;http://example.invalid\x1b\\点击\x1b]8;;\x1b\\"),
    ("lone-surrogate", "某某\ud800小区"),
    ("noncharacter", "某某\ufffe\uffff小区"),
    ("line-separator", "某某\u2028小区\u2029"),
    ("cr-only", "某某\r小区"),
    # invisible: the name reads as another
    ("bidi-override", "\u202e区小某某\u202c"),
    ("bidi-isolate", "\u2066某某\u2069小区\u2067"),
    ("bidi-marks", "\u200f某某\u200e小区\u061c"),
    ("zero-width", "某\u200b某\u200c小\u200d区\u2060\ufeff"),
    # formulas and DDE (issue 9): stored as text, never run
    ("formula", '=HYPERLINK("http://example.invalid/?q="&A1,"点击")'),
    ("dde", "=cmd|' /C calc'!A0"),
    ("plus", "+1+1"),
    ("minus", "-2+3"),
    ("at", "@SUM(1,2)"),
    ("tab-formula", "\t=1+1"),
    ("cr-formula", "\r=1+1"),
    # markup and templates: text, never markup or code
    ("jinja", "{{ 7*7 }}{% for x in range(10**9) %}x{% endfor %}"),
    ("html", "<script>alert(1)</script><img src=x onerror=alert(1)>"),
    ("wordml", "</w:t></w:r><w:r><w:t>注入"),
    ("xml-entities", "&amp; &lt; ]]> <![CDATA[x]]> &#0;"),
    ("format", "%s%n{0}{}"),
    ("path", "../../etc/passwd"),
    ("windows-device", "CON"),
    # long and strange but legal
    ("long", "长" * 3000),
    ("combining", "a" + "\u0301" * 200),
    ("emoji", "🏠\U0001f3d7\ufe0f小区"),
    ("fullwidth-space", "\u3000某某小区\u3000"),
]

# a character that must not survive into any document or terminal (tab and newline are text)
LEFT_OVER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")

_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def as_xlsx_cell(text: str) -> str:
    """``text`` as openpyxl can store it: the characters XML cannot hold as Excel's ``_xHHHH_`` escapes."""
    return _NEEDS_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
