"""The waitress server of ``gaizao serve`` (and of the tests that run a real server).

waitress refuses a body over its own limit before the application sees the request, with an English
"Request Entity Too Large". The limit is set a little above the application's (``MAX_CONTENT_LENGTH``) so that
the application's Chinese 413 page answers the common case, and waitress's own refusal (a body far over the
limit, or chunked) is given the same Chinese words here.
"""
from __future__ import annotations

from html import escape

MARGIN_BYTES = 1024 * 1024          # multipart overhead above the file itself


def too_large_html(mb: float, evidence_mb: float | None = None) -> str:
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\"><title>文件太大</title>"
            "<link rel=\"stylesheet\" href=\"/static/web.css\"></head><body><main class=\"wrap\"><section "
            "class=\"card error-page\"><h1>文件太大</h1>"
            f"<p>上传的文件超过 {escape(f'{mb:g}')} MB。工作簿中常有照片或无关的工作表：请删去图片（照片另行报送）"
            "和无关工作表，另存后再上传。"
            + (f"项目证据文件（照片、扫描件）每个不超过 {escape(f'{evidence_mb:g}')} MB。" if evidence_mb else "")
            + "</p><p><a class=\"button\" href=\"/\">返回首页</a></p></section></main>"
            "</body></html>")


def _chinese_413(mb: float, evidence_mb: float | None = None) -> None:
    """waitress's own 413 in Chinese (its parser names the class when it refuses a body)."""
    import waitress.parser as parser
    from waitress.utilities import RequestEntityTooLarge

    body = too_large_html(mb, evidence_mb).encode("utf-8")

    class ChineseTooLarge(RequestEntityTooLarge):
        def to_response(self, ident=None):
            return (f"{self.code} {self.reason}",
                    [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], body)

    # waitress.parser uses the name it imported from waitress.utilities; the stubs do not list it there
    parser.RequestEntityTooLarge = ChineseTooLarge  # type: ignore[attr-defined]


def create_server(app, *, host: str = "127.0.0.1", port: int = 8080, threads: int = 4):
    """A waitress server for ``app`` (not yet running: call ``.run()``)."""
    from waitress.server import create_server as waitress_server

    from generator.life import evidence
    mb = app.config["MAX_UPLOAD_MB"]
    _chinese_413(mb, evidence.MAX_BYTES / 2**20)
    # evidence routes take files up to the life library's own limit (app.upload_limit): waitress lets those through
    # and the application bounds each route (its 413 pages); a body over both is waitress's (Chinese) refusal
    body = max(int(mb * 1024 * 1024), evidence.MAX_BYTES) + MARGIN_BYTES
    # waitress would drop X-Forwarded-* itself (no trusted_proxy set): the application decides, trusting the
    # loopback only and only with --behind-proxy (app.LocalProxy)
    return waitress_server(app, host=host, port=port, threads=threads, ident="gaizao",
                           max_request_body_size=body,
                           clear_untrusted_proxy_headers=False)
