"""The certificate PDF: Dutch text with international names, one A4 landscape page, a QR code, metadata."""

import datetime
import io

import pytest
import segno
from PIL import Image, ImageChops
from pypdf import PdfReader

from jimtraining.certification.pdf import FONT_BOLD, FONT_REGULAR, certificate_pdf

VERIFY_URL = "https://jim-training.nl/certificaten/controleer/k7Q2mX9pLw3R"


def make_pdf(**changes) -> bytes:
    fields = {
        "holder_name": "Anouk van 't Hof-Ünal",
        "number": "JIM-2026-00042",
        "track_title": "Basistraining JIM-aanpak",
        "issued_on": datetime.date(2025, 12, 1),
        "expires_on": datetime.date(2026, 12, 1),
        "trainer_name": "Zeynep Şahin",
        "organisation_name": "Stichting Jeugdzorg Łódź-Utrecht",
        "verify_url": VERIFY_URL,
    }
    fields.update(changes)
    return certificate_pdf(**fields)


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_text(data: bytes) -> str:
    return read(data).pages[0].extract_text()


def words(text: str) -> list[str]:
    return text.split()


def test_pdf_bytes_start_with_the_pdf_header():
    assert make_pdf().startswith(b"%PDF-")


def test_pdf_text_has_the_holders_name_number_and_verification_url():
    text = page_text(make_pdf(holder_name="Łukasz Nowak-Ünal Şahin"))
    assert "Łukasz Nowak-Ünal Şahin" in text
    assert "JIM-2026-00042" in text
    assert f"Controleer dit certificaat: {VERIFY_URL}" in text


def test_pdf_text_keeps_dutch_names_with_an_apostrophe():
    assert "Anouk van 't Hof-Ünal" in page_text(make_pdf())


def test_pdf_text_has_the_track_trainer_and_organisation():
    text = page_text(make_pdf())
    assert "Certificaat" in text
    assert "JIM-aanpak (Jouw Ingebrachte Mentor)" in text
    assert "Basistraining JIM-aanpak" in text
    assert "met goed gevolg" in text
    assert "Zeynep Şahin" in text
    assert "Stichting Jeugdzorg Łódź-Utrecht" in text


def test_pdf_writes_the_issue_and_expiry_dates_in_dutch():
    text = page_text(make_pdf(issued_on=datetime.date(2026, 3, 9), expires_on=datetime.date(2029, 10, 31)))
    assert "9 maart 2026" in text
    assert "Geldig tot 31 oktober 2029" in text


def test_pdf_leaves_out_the_organisation_line_when_there_is_no_organisation():
    text = page_text(make_pdf(organisation_name=""))
    assert "Organisatie" not in text
    assert "Afgetekend door Zeynep Şahin" in text


def test_pdf_is_one_a4_page_in_landscape():
    reader = read(make_pdf())
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert float(box.width) == pytest.approx(841.89, abs=1)
    assert float(box.height) == pytest.approx(595.28, abs=1)


def test_pdf_has_exactly_one_image_and_it_is_the_qr_code_of_the_verification_url():
    images = read(make_pdf()).pages[0].images
    assert len(images) == 1
    expected = io.BytesIO()
    segno.make(VERIFY_URL, error="m", boost_error=False, micro=False).save(expected, kind="png", scale=10, border=4)
    expected.seek(0)
    want = Image.open(expected).convert("L")
    got = images[0].image.convert("L")
    assert got.size == want.size
    assert ImageChops.difference(got, want).getbbox() is None, "the embedded image is not the QR code of the URL"


def test_pdf_with_a_200_character_name_stays_on_one_page_and_keeps_the_whole_name():
    name = ("Maria Anouk Łucja van der Heijden-Şahin " * 6)[:200].strip()
    data = make_pdf(holder_name=name, track_title="Verdieping JIM-aanpak voor jeugdhulpverleners " * 4)
    reader = read(data)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert " ".join(words(name)) in " ".join(words(text))
    assert VERIFY_URL in text


def test_pdf_with_a_very_long_name_without_spaces_stays_on_one_page():
    assert len(read(make_pdf(holder_name="Ş" * 200)).pages) == 1


def test_pdf_metadata_has_the_title_author_and_dutch_language():
    reader = read(make_pdf())
    assert reader.metadata.title == "Certificaat JIM-2026-00042"
    assert reader.metadata.author == "JIM-training"
    assert reader.metadata.creator == "JIM-training"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"


def test_pdf_is_the_same_bytes_every_time_for_the_same_certificate():
    assert make_pdf() == make_pdf()


def test_pdf_fonts_are_shipped_inside_the_project_not_taken_from_the_system():
    for font in (FONT_REGULAR, FONT_BOLD):
        assert font.is_file()
        assert "/usr/share" not in str(font)
    assert (FONT_REGULAR.parent / "LICENSE-DejaVu.txt").is_file()
