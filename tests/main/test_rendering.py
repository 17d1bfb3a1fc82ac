"""The one Markdown renderer: what it keeps and what it strips."""

import pytest

from jimtraining.rendering import render_markdown


def test_markdown_becomes_html():
    html = render_markdown("## Kop\n\nEen **vet** woord en een [link](https://example.org).")
    assert "<h2>Kop</h2>" in html
    assert "<strong>vet</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html


def test_level_one_headings_become_level_two_so_the_page_keeps_one_h1():
    assert "<h2>Titel</h2>" in render_markdown("# Titel")


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[klik](javascript:alert(1))",
        "![x](javascript:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<iframe src='https://example.org'></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg><script>alert(1)</script></svg>",
        '<p onclick="alert(1)">x</p>',
        "{{ config }} {% for x in y %}",
    ],
)
def test_dangerous_markup_is_removed(payload):
    html = str(render_markdown(payload)).lower()
    left = [bad for bad in ("<script", "onerror", "onclick", "javascript:", "data:text", "<iframe", "style=", "<svg")
            if bad in html]
    assert left == [], html


def test_template_syntax_is_shown_as_text_not_run():
    assert "{{ config }}" in render_markdown("{{ config }}")


@pytest.mark.parametrize(
    "src", ["https://tracker.example/x.png", "//tracker.example/x.png", "HTTP://x/y.png", "/\\\\tracker.example/x.png"]
)
def test_images_from_other_hosts_are_dropped(src):
    html = str(render_markdown(f"![pixel]({src})"))
    assert "tracker" not in html and "src=" not in html


def test_images_from_this_site_are_kept():
    assert 'src="/static/x.png"' in render_markdown("![x](/static/x.png)")


def test_a_table_scrolls_in_its_own_box_so_the_page_stays_as_wide_as_a_phone(app):
    with app.test_request_context():
        html = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n"))
    assert html.startswith('<div class="table-scroll" tabindex="0" role="region" aria-label="Tabel (schuif opzij')
    assert html.rstrip().endswith("</table></div>")
