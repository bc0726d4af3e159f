"""动态口令: time-based one-time passwords (RFC 6238, 30 s, 6 digits, SHA-1), as every authenticator app
(微信/支付宝 小程序, Google/Microsoft Authenticator, FreeOTP) makes them. pyotp does the arithmetic."""
from __future__ import annotations

import datetime as dt
import re

ISSUER = "gaizao"


def new_secret() -> str:
    import pyotp
    return pyotp.random_base32()


def uri(secret: str, username: str, issuer: str = ISSUER) -> str:
    """The otpauth:// address an app reads (typed in by hand as the secret where no QR code is shown)."""
    import pyotp
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def verify(secret: str, code: str, *, at: dt.datetime | int | None = None) -> bool:
    """The code is the one of now, or of the 30 s before or after (a phone's clock is a little off)."""
    import pyotp
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return False
    try:
        return pyotp.TOTP(secret).verify(code, for_time=at, valid_window=1)
    except Exception:                   # a damaged secret is a wrong code, never a 500
        return False


def now_code(secret: str, at: dt.datetime | int | None = None) -> str:
    import pyotp
    t = pyotp.TOTP(secret)
    return t.at(at) if at is not None else t.now()


def grouped(secret: str) -> str:
    """The secret in groups of four, to type it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
