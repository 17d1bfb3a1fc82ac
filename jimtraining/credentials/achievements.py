"""The Achievement of a track (what a credential certifies) and its badge image.

A certificate certifies its qualification: the track itself, or for a refresher the track it renews. The criteria
are written from that track's requirements, in Dutch (the language of the certificates; an OB 3.0 credential
carries plain strings, so one language). The image is our own design: the track's title on a round badge in the
platform's colours, as SVG and as PNG (drawn with Pillow, in the DejaVu font that static/fonts/ already ships).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from functools import lru_cache
from math import cos, radians, sin

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import or_, select

from jimtraining.certification.models import Track
from jimtraining.config import PROJECT_ROOT
from jimtraining.credentials.engine import AchievementData
from jimtraining.credentials.issuer import issuer_name, public_url
from jimtraining.curriculum.models import Module

BRAND, BRAND_DARK, ACCENT, SOFT, MUTED = "#0b5a55", "#083f3c", "#8a3b00", "#f2f6f5", "#4a5560"
TRACKS, MODULES = Track.__table__, Module.__table__
#: The bold DejaVu Sans that the certificate PDF embeds too (static/fonts/, with its licence).
FONT_BOLD = PROJECT_ROOT / "static" / "fonts" / "DejaVuSans-Bold.ttf"


@dataclass(frozen=True)
class TrackFacts:
    slug: str
    title: str
    summary: str
    valid_months: int
    requirements: dict
    #: Titles of the tracks that renew this one.
    renewed_by: tuple[str, ...] = ()
    #: Module slug -> title.
    modules: dict = field(default_factory=dict)


def track_facts(connection, slug: str) -> TrackFacts | None:
    """The qualification track `slug` (archived ones too: old credentials point at them) with the titles of its
    modules and of the tracks that renew it; None when there is no such track or it renews another one. Two
    queries."""
    rows = connection.execute(select(TRACKS.c.slug, TRACKS.c.title, TRACKS.c.summary, TRACKS.c.valid_months,
                                     TRACKS.c.requirements, TRACKS.c.renews, TRACKS.c.archived)
                              .where(or_(TRACKS.c.slug == slug, TRACKS.c.renews == slug))
                              .order_by(TRACKS.c.position, TRACKS.c.slug)).all()
    track = next((row for row in rows if row.slug == slug and not row.renews), None)
    if track is None:
        return None
    requirements = track.requirements or {}
    slugs = list(dict.fromkeys([*requirements.get("modules", []), *requirements.get("quizzes", [])]))
    titles = dict(connection.execute(select(MODULES.c.slug, MODULES.c.title).where(MODULES.c.slug.in_(slugs)))
                  .all()) if slugs else {}
    return TrackFacts(track.slug, track.title, track.summary or "", track.valid_months, requirements,
                      tuple(row.title for row in rows if row.renews == slug and not row.archived), titles)


def _listed(slugs, titles: dict) -> str:
    return ", ".join(f"'{titles.get(slug, slug)}'" for slug in slugs)


def criteria(track: TrackFacts) -> str:
    """What it takes to earn the certificate, as a Markdown list (OB 3.0 allows Markdown in the narrative)."""
    requirements = track.requirements
    lines = []
    if requirements.get("modules"):
        lines.append(_("Alle lessen gevolgd van de modules %(modules)s",
                       modules=_listed(requirements["modules"], track.modules)))
    if requirements.get("quizzes"):
        lines.append(_("De toetsen gehaald van de modules %(modules)s",
                       modules=_listed(requirements["quizzes"], track.modules)))
    if requirements.get("attendance_percent"):
        lines.append(_("Minstens %(n)s%% aanwezig bij de bijeenkomsten", n=requirements["attendance_percent"]))
    if requirements.get("roleplay_sufficient"):
        lines.append(ngettext("Minstens %(num)d rollenspel als professional met 'voldoende'",
                              "Minstens %(num)d rollenspellen als professional met 'voldoende'",
                              requirements["roleplay_sufficient"]))
    if requirements.get("practice"):
        lines.append(_("Praktijkopdracht goedgekeurd"))
    lines.append(_("Afgetekend door een JIM-trainer met een geldige licentie"))
    text = _("Dit certificaat krijg je als je het traject '%(track)s' hebt afgerond:", track=track.title)
    text += "\n\n" + "\n".join(f"- {line}" for line in lines) + "\n\n"
    text += ngettext("Het certificaat is %(num)d maand geldig.", "Het certificaat is %(num)d maanden geldig.",
                     track.valid_months)
    if track.renewed_by:
        text += " " + _("Verlengen kan met het traject %(tracks)s.",
                        tracks=", ".join(f"'{title}'" for title in track.renewed_by))
    return text


def achievement(track: TrackFacts) -> AchievementData:
    """The OB 3.0 Achievement of a qualification track, in Dutch."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        narrative = criteria(track)
    return AchievementData(id=public_url("credentials.achievement", track_slug=track.slug), name=track.title,
                           description=track.summary or track.title, criteria=narrative,
                           image=public_url("credentials.achievement_svg", track_slug=track.slug))


#: Where the SKJ register is (an Alignment needs a targetUrl): the register's public site, not fetched by us.
SKJ_URL = "https://skjeugd.nl/"
#: OB 3.0 AlignmentTargetType is an extensible vocabulary: "ext:" names our own kind of target.
SKJ_TARGET_TYPE = "ext:SKJAccreditation"


def with_accreditation(certified: AchievementData, accreditation: dict | None) -> AchievementData:
    """The Achievement with the SKJ accreditation that applied to the certificate: its points as
    creditsAvailable and an alignment to the accreditation (its number as targetCode)."""
    if not accreditation:
        return certified
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        name = _("SKJ-accreditatie %(number)s", number=accreditation["number"])
        description = _("Geaccrediteerd door het Kwaliteitsregister Jeugd (SKJ), kamer %(section)s: %(points)s "
                        "punten, %(hours)s contacturen.", section=accreditation["register_section"],
                        points=accreditation["points"], hours=accreditation["contact_hours"])
    alignment = {"targetName": name, "targetUrl": SKJ_URL, "targetType": SKJ_TARGET_TYPE,
                 "targetCode": str(accreditation["number"]), "targetFramework": "Kwaliteitsregister Jeugd (SKJ)",
                 "targetDescription": description}
    return replace(certified, credits=float(accreditation["points"]), alignments=(alignment,))


def fallback_achievement(slug: str, title: str) -> AchievementData:
    """For a certificate whose track is not in the database (any more): its title, signed off by a trainer."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        narrative = _("Afgetekend door een JIM-trainer met een geldige licentie")
    return AchievementData(id=public_url("credentials.achievement", track_slug=slug), name=title,
                           description=title, criteria=narrative,
                           image=public_url("credentials.achievement_svg", track_slug=slug))


# The badge image ---------------------------------------------------------------------------------------------

def _title_size(title: str, width: int, largest: int) -> int:
    """A font size at which `title` fits `width` (DejaVu Sans Bold averages about 0.62 em a character)."""
    return max(12, min(largest, int(width / (0.62 * max(len(title), 1)))))


@lru_cache(maxsize=64)
def badge_svg(title: str, issuer: str) -> bytes:
    """The badge of a track: a round seal with "JIM", the track's title on a ribbon and the issuer's name."""
    size = _title_size(title, 300, 40)
    text = escape(title)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img">'
        f'<title>{escape(issuer)}: {text}</title>'
        f'<circle cx="200" cy="200" r="196" fill="{BRAND_DARK}"/>'
        f'<circle cx="200" cy="200" r="184" fill="{BRAND}"/>'
        '<circle cx="200" cy="200" r="166" fill="none" stroke="#ffffff" stroke-width="3" stroke-dasharray="1 9" '
        'stroke-linecap="round"/>'
        f'<circle cx="200" cy="200" r="150" fill="{SOFT}"/>'
        '<g font-family="DejaVu Sans, Verdana, sans-serif" font-weight="700" text-anchor="middle">'
        f'<text x="200" y="168" font-size="84" fill="{BRAND}">JIM</text>'
        f'<rect x="28" y="196" width="344" height="68" rx="10" fill="{ACCENT}"/>'
        f'<text x="200" y="{230 + size // 3}" font-size="{size}" fill="#ffffff">{text}</text>'
        f'<text x="200" y="308" font-size="20" fill="{MUTED}">{escape(issuer)}</text>'
        '</g></svg>'
    ).encode()


@lru_cache(maxsize=64)
def badge_png(title: str, issuer: str) -> bytes:
    """The same badge as a 400 x 400 PNG (drawn twice as large, then scaled down for smooth edges)."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 2

    def s(value):
        return value * scale

    image = Image.new("RGBA", (s(400), s(400)), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for radius, colour in ((196, BRAND_DARK), (184, BRAND)):
        draw.ellipse([s(200 - radius), s(200 - radius), s(200 + radius), s(200 + radius)], fill=colour)
    for step in range(0, 360, 6):  # the dotted ring
        x, y = 200 + 166 * cos(radians(step)), 200 + 166 * sin(radians(step))
        draw.ellipse([s(x - 1.6), s(y - 1.6), s(x + 1.6), s(y + 1.6)], fill="#ffffff")
    draw.ellipse([s(50), s(50), s(350), s(350)], fill=SOFT)
    draw.text((s(200), s(140)), "JIM", font=ImageFont.truetype(str(FONT_BOLD), s(84)), fill=BRAND, anchor="mm")
    draw.rounded_rectangle([s(28), s(196), s(372), s(264)], radius=s(10), fill=ACCENT)
    draw.text((s(200), s(230)), title, font=ImageFont.truetype(str(FONT_BOLD), s(_title_size(title, 300, 40))),
              fill="#ffffff", anchor="mm")
    draw.text((s(200), s(301)), issuer, font=ImageFont.truetype(str(FONT_BOLD), s(20)), fill=MUTED, anchor="mm")
    image = image.resize((400, 400), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def images(title: str) -> tuple[bytes, bytes]:
    """(SVG, PNG) of a track's badge."""
    return badge_svg(title, issuer_name()), badge_png(title, issuer_name())
