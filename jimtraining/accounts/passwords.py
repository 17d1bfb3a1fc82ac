"""Password policy: at least 12 characters and not easily guessed.

zxcvbn estimates how many guesses a password takes. We feed it Dutch words and the person's own name and
e-mail address, so 'Wachtwoord2024!' or 'Annavanderberg1' are refused like 'Password2024!'.
"""

import re

from flask_babel import gettext as _

from jimtraining.data import dutch_password_words

MIN_LENGTH = 12
#: zxcvbn score 0-4; 3 means "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
MAX_LENGTH = 200
ZXCVBN_MAX = 72


def password_problems(password: str, name: str = "", email: str = "") -> list[str]:
    """Return the reasons a password is refused, in plain language; empty when it is fine."""
    if len(password) < MIN_LENGTH:
        return [_("Kies een wachtwoord van minstens %(n)s tekens.", n=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Kies een wachtwoord van hoogstens %(n)s tekens.", n=MAX_LENGTH)]
    personal = [part for part in re.split(r"[\s@._-]+", f"{name} {email}".lower()) if len(part) > 2]
    lowered = password.lower()
    uses_personal = any(part in lowered for part in personal)
    # A name dressed up with capitals and dashes still scores well, so judge what is left without it.
    remainder = password
    for part in personal:
        remainder = re.sub(re.escape(part), "", remainder, flags=re.IGNORECASE)
    if _score(password, personal) >= MIN_SCORE and (not uses_personal or _score(remainder, personal) >= MIN_SCORE):
        return []
    reasons = [_("Dit wachtwoord is te makkelijk te raden.")]
    if uses_personal:
        reasons.append(_("Gebruik niet je naam of e-mailadres."))
    reasons.append(_("Tip: neem vier of vijf losse woorden die niet bij elkaar horen, zoals "
                     "'lamp fiets wolk tegel'."))
    return reasons


def _score(password: str, personal: list[str]) -> int:
    # Imported where it is used: its word lists take 14 MiB, which a web worker needs only when someone chooses a
    # password (jimtraining/serving.py).
    from zxcvbn import zxcvbn

    # zxcvbn accepts at most 72 characters (and a longer password is no weaker than its start).
    return zxcvbn(password[:ZXCVBN_MAX], user_inputs=list(dutch_password_words()) + personal)["score"]
