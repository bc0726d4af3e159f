"""The password rules of the web accounts, as 等保 2.0 (GB/T 22239-2019, 8.1.4.1 a) asks of a government
system: 口令具有复杂度要求 — at least 8 characters of at least 3 of the 4 classes (upper case, lower case,
digits, symbols), not a common password (data/common-passwords.txt), not the user name or a variant of it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from generator.errors import UsageError

MIN_LENGTH = 8
MIN_CLASSES = 3
MAX_LENGTH = 128                     # argon2 takes anything; a megabyte "password" is an attack, not a password
COMMON = Path(__file__).with_name("data") / "common-passwords.txt"
RULES_ZH = f"至少 {MIN_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少 {MIN_CLASSES} 种，不能是常见密码，不能含用户名"
# p@ssw0rd is password: the swaps people make to pass a class rule
_SWAPS = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


def classes(password: str) -> int:
    """How many of the four classes the password uses (any non-ASCII letter, e.g. 汉字, counts as a symbol)."""
    return sum(bool(re.search(p, password)) for p in (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]"))


def _core(text: str) -> str:
    """The word inside: without leading and trailing digits and symbols (Password12! -> password)."""
    return re.sub(r"^[^a-z]+|[^a-z]+$", "", text.lower())


def is_common(password: str) -> bool:
    low = password.lower()
    common = common_passwords()
    candidates = {low, _core(low), low.translate(_SWAPS), _core(low.translate(_SWAPS)),
                  re.sub(r"[^a-z0-9]", "", low)}
    return any(c in common for c in candidates if c)


def uses_username(password: str, username: str) -> bool:
    """The user name in it, forwards or backwards, in any case, or it with only digits/symbols around."""
    name = (username or "").strip().lower()
    if not name:
        return False
    low = password.lower()
    bare = re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", name)
    if len(name) >= 3 and (name in low or name[::-1] in low):
        return True
    if len(bare) >= 3 and (bare in re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", low) or bare[::-1] in low):
        return True
    return _core(low) == _core(name) != ""


def check(password: str, username: str = "") -> None:
    """Raise UsageError saying what is wrong, else return."""
    if len(password) < MIN_LENGTH:
        raise UsageError(f"密码至少 {MIN_LENGTH} 位", f"the password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise UsageError(f"密码不能超过 {MAX_LENGTH} 位", f"the password may have at most {MAX_LENGTH} characters")
    if classes(password) < MIN_CLASSES:
        raise UsageError(f"密码须含大写字母、小写字母、数字、符号中的至少 {MIN_CLASSES} 种",
                         f"the password needs at least {MIN_CLASSES} of: upper case, lower case, digits, symbols")
    if uses_username(password, username):
        raise UsageError("密码不能含用户名（包括倒写、大小写变化）", "the password must not contain the user name")
    if is_common(password):
        raise UsageError("这是常见密码，容易被猜中，请换一个", "a common password, easily guessed: choose another")
