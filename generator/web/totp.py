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


def matched_step(secret: str, code: str, *, at: dt.datetime | int | None = None) -> int | None:
    """The 30 s time step whose code this is (now, or one step before or after), else None. The caller refuses a
    step at or before the last one it accepted for the account: a code is good once (RFC 6238, 5.2)."""
    import pyotp
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    try:
        t = pyotp.TOTP(secret)
        when = at if at is not None else dt.datetime.now(dt.timezone.utc)
        now_step = t.timecode(when if isinstance(when, dt.datetime) else dt.datetime.fromtimestamp(when, dt.timezone.utc))
        for step in (now_step - 1, now_step, now_step + 1):
            if pyotp.utils.strings_equal(t.generate_otp(step), code):
                return step
    except Exception:                   # a damaged secret is a wrong code, never a 500
        return None
    return None


def now_code(secret: str, at: dt.datetime | int | None = None) -> str:
    import pyotp
    t = pyotp.TOTP(secret)
    return t.at(at) if at is not None else t.now()


def grouped(secret: str) -> str:
    """The secret in groups of four, to type it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
