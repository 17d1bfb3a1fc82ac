"""Spot text that looks like client data: a BSN, a phone number or an e-mail address.

The platform must never hold data of young people or families. A reflection or comment that seems to contain
such data gets a warning before it is saved; the writer removes it or confirms that it is not client data
(an organisation's general number, say).
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

_NINE_DIGITS = re.compile(r"(?<![\d.,-])(\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?![\d,-]|\.\d)")
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)31[\s.-]?\(?0?\)?[\s.-]?[1-9](?:[\s.-]?\d){8}"  # +31 6 12345678, 0031 20 123 4567
    r"|0[1-9](?:[\s.-]?\d){8}"  # 06-12345678, 020 123 4567, 0612345678
    r")(?![\d])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")


def is_bsn(digits: str) -> bool:
    """The eleven test of a Dutch citizen service number: 9 x d1 + 8 x d2 + ... + 2 x d8 - 1 x d9, divisible
    by 11 (and not 0, which 000000000 would give)."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0 and int(digits) != 0


def client_data_findings(text: str) -> list[str]:
    """What in the text looks like client data, in words for the writer (empty when nothing does)."""
    findings = []
    bsn_spans = []
    for match in _NINE_DIGITS.finditer(text or ""):
        if is_bsn(re.sub(r"\D", "", match.group(0))):
            bsn_spans.append(match.span())
    if bsn_spans:
        findings.append(_("een nummer dat op een burgerservicenummer (BSN) lijkt"))
    for match in _PHONE.finditer(text or ""):
        if not any(start <= match.start() < end for start, end in bsn_spans):
            findings.append(_("een telefoonnummer"))
            break
    if _EMAIL.search(text or ""):
        findings.append(_("een e-mailadres"))
    return findings
