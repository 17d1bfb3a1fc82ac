"""The project's licences: the code under EUPL-1.2, the course content in modules/ under CC BY-SA 4.0."""

import tomllib

from jimtraining.config import PROJECT_ROOT


def test_the_code_has_the_full_eupl_1_2_licence_text():
    """Issue 14 item 22: the README calls the project open source, so the licence must be there, whole."""
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    # The full text, not a pointer to it: its last article and the appendix of compatible licences.
    assert "15.Applicable Law" in text and "Appendix" in text and "Compatible Licences" in text


def test_the_course_content_has_the_cc_by_sa_4_0_legal_code():
    """Issue 14 item 22: the content in modules/ is licensed apart from the code, under CC BY-SA 4.0."""
    text = (PROJECT_ROOT / "modules" / "LICENSE").read_text(encoding="utf-8")
    assert "SPDX-License-Identifier: CC-BY-SA-4.0" in text
    assert "https://creativecommons.org/licenses/by-sa/4.0/legalcode" in text
    assert "Creative Commons Attribution-ShareAlike 4.0 International Public License" in text
    assert "Section 8 – Interpretation." in text  # the whole legal code


def test_pyproject_names_the_code_licence_as_an_spdx_identifier():
    """Issue 14 item 22: the package metadata says which licence applies (PEP 639 SPDX expression)."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "EUPL-1.2"
    assert "LICENSE" in project["license-files"]


def test_the_readme_says_which_licence_covers_what():
    """Issue 14 item 22: a reader of the README learns the licences without opening the files."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Licence" in readme
    licence = readme.split("## Licence", 1)[1]
    assert "EUPL-1.2" in licence and "CC BY-SA 4.0" in licence and "modules/" in licence
