#!/usr/bin/env bash
# Installs everything gaizao needs on a fresh Debian 12 machine (run as root from the repository root):
# system libraries for WeasyPrint, poppler (pdftotext/pdffonts for tests), LibreOffice headless Writer and Calc
# (tests open every generated DOCX/XLSX kind in a real office suite), the free CJK fonts that stand in for
# 仿宋_GB2312 / 方正小标宋 / 黑体 / 楷体 (Fandol, extracted from Debian's texlive-lang-chinese .deb without TeX;
# Noto CJK as fallback for rare characters), Debian's chromium for the web's browser tests (Playwright drives it;
# nothing is downloaded by `playwright install`), nginx and Caddy (the reverse proxies of docs/web.md, run by the
# deploy tests), Debian's PostgreSQL (the tests start a throwaway server to run
# the register and web tests against it; the register's documented store for a province-wide service), then the Python package with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=0
for pkg in libharfbuzz-subset0 poppler-utils fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui chromium nginx-light caddy postgresql; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt=1
done
if [ "$need_apt" = 1 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libharfbuzz-subset0 poppler-utils fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui chromium nginx-light caddy postgresql >/dev/null
fi

fandol_dir=/usr/local/share/fonts/fandol
if ! ls "$fandol_dir"/FandolFang-Regular.otf >/dev/null 2>&1; then
  tmp=$(mktemp -d)
  ( cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1 || { apt-get update -qq && apt-get download texlive-lang-chinese >/dev/null; } )
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  install -d "$fandol_dir"
  install -m644 "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Hei,Kai,Song}-*.otf "$fandol_dir/"
  rm -rf "$tmp"
  fc-cache -f >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
