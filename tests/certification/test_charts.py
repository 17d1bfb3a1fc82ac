"""The dashboard's SVG charts: well-formed, accessible, CSP-proof (no style) and escaped."""

import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from jimtraining.certification.charts import bar_chart, format_number, progress_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
REGIONS = [("Twente", 120), ("Utrecht", 80), ("Groningen", 45), ("Limburg", 0)]
MONTHS = [("2026-01", 150), ("2026-02", 400), ("2026-03", 1500), ("2026-04", 2200)]


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


def parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def local(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]


def goal_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "goal"]


def all_charts() -> list[Markup]:
    return [
        bar_chart(REGIONS, id="regions", title="Per regio"),
        bar_chart(REGIONS, id="regions-goal", title="Per regio", goal=3000),
        bar_chart([], id="none", title="Leeg"),
        bar_chart([("Alleen", 0), ("Nul", 0)], id="zeros", title="Nullen"),
        bar_chart([("Eén", 7)], id="one", title="Eén"),
        bar_chart([("Een heel erg lange naam van een jeugdhulporganisatie in Noord-Brabant", 12_345)], id="long",
                  title="Lang"),
        progress_chart(MONTHS, id="months", title="Over tijd"),
        progress_chart(MONTHS, id="months-goal", title="Over tijd", goal=3000),
        progress_chart([], id="months-none", title="Leeg", goal=3000),
        progress_chart([("2026-03", 0)], id="months-zero", title="Nul"),
        progress_chart([(f"{2023 + i // 12}-{i % 12 + 1:02d}", i * 70) for i in range(60)], id="many",
                       title="Vijf jaar", goal=3000),
    ]


# -- format_number --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "expected"), [
    (0, "0"), (999, "999"), (1000, "1.000"), (10000, "10.000"), (1234567, "1.234.567"),
])
def test_format_number_puts_dutch_thousands_dots(number, expected):
    assert format_number(number) == expected


# -- structure and accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("chart", all_charts())
def test_every_chart_is_well_formed_xml_and_markup(chart):
    assert isinstance(chart, Markup), "charts must be Markup so Jinja does not escape them a second time"
    root = parse(chart)
    assert local(root) == "svg"


@pytest.mark.parametrize("chart", all_charts())
def test_aria_labelledby_names_the_title_and_desc_of_the_chart(chart):
    root = parse(chart)
    assert root.get("role") == "img"
    ids = root.get("aria-labelledby").split()
    assert len(ids) == 2
    children = {child.get("id"): local(child) for child in root}
    assert children.get(ids[0]) == "title", f"{ids[0]} is not the id of the svg's <title>"
    assert children.get(ids[1]) == "desc", f"{ids[1]} is not the id of the svg's <desc>"
    assert all("".join(child.itertext()).strip() for child in root if local(child) in {"title", "desc"})


def test_chart_ids_come_from_the_id_argument_so_two_charts_on_a_page_do_not_clash():
    first = parse(bar_chart(REGIONS, id="a", title="A"))
    second = parse(bar_chart(REGIONS, id="b", title="B"))
    assert first.get("aria-labelledby") == "a-title a-desc"
    assert second.get("aria-labelledby") == "b-title b-desc"


@pytest.mark.parametrize("bad_id", ["", "1st", "two words", 'x"y'])
def test_an_id_that_cannot_be_an_svg_id_is_refused(bad_id):
    with pytest.raises(ValueError):
        bar_chart(REGIONS, id=bad_id, title="T")


@pytest.mark.parametrize("chart", all_charts())
def test_charts_scale_with_their_container_through_a_viewbox(chart):
    root = parse(chart)
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert len(root.get("viewBox").split()) == 4


@pytest.mark.parametrize("chart", all_charts())
def test_no_style_attribute_or_style_element_anywhere_because_the_csp_would_block_it(chart):
    for element in parse(chart).iter():
        assert "style" not in element.attrib, f"<{local(element)}> has a style attribute"
        assert local(element) != "style", "the chart contains a <style> element"
        assert local(element) != "script"


@pytest.mark.parametrize("chart", all_charts())
def test_no_text_is_smaller_than_12_units(chart):
    for text in parse(chart).iter(f"{SVG}text"):
        assert float(text.get("font-size")) >= 12, "".join(text.itertext())


def contrast_on_white(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("chart", all_charts())
def test_all_text_and_bars_have_at_least_4_5_to_1_contrast_on_white(chart):
    root = parse(chart)
    for text in root.iter(f"{SVG}text"):
        assert contrast_on_white(text.get("fill")) >= 4.5, f"{text.get('fill')} on '{''.join(text.itertext())}'"
    for group in bars(root):
        for rect in group.iter(f"{SVG}rect"):
            assert contrast_on_white(rect.get("fill")) >= 4.5


# -- bar chart ------------------------------------------------------------------------------------------------


def test_bar_chart_draws_one_bar_per_row_in_the_given_order():
    root = parse(bar_chart(REGIONS, id="r", title="Per regio"))
    groups = bars(root)
    assert len(groups) == len(REGIONS)
    assert [g.find(f"{SVG}title").text.split(":")[0] for g in groups] == [label for label, _ in REGIONS]
    for group in groups:
        assert len(group.findall(f"{SVG}rect")) == 1


def test_bar_chart_shows_every_value_as_visible_text_next_to_its_bar():
    root = parse(bar_chart(REGIONS + [("Amsterdam", 12_345)], id="r", title="Per regio"))
    for group, (label, value) in zip(bars(root), REGIONS + [("Amsterdam", 12_345)], strict=True):
        assert format_number(value) in texts(group), f"the value of {label} is not written out"
        assert label in texts(group)
    assert "12.345" in texts(root)


def test_bar_lengths_are_proportional_to_the_values():
    root = parse(bar_chart([("A", 100), ("B", 50), ("C", 0)], id="r", title="T"))
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in bars(root)]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == 0


def test_bar_chart_with_goal_draws_a_dashed_orange_line_labelled_doel():
    root = parse(bar_chart(REGIONS, id="r", title="T", goal=3000))
    [goal] = goal_groups(root)
    line = goal.find(f"{SVG}line")
    assert line.get("stroke-dasharray"), "the goal line must be dashed, not told apart by colour only"
    assert line.get("stroke") == "#a14a00"
    assert "Doel: 3.000" in texts(goal)
    # The scale runs to the goal: the goal line lies beyond the longest bar.
    bar_ends = [float(r.get("x")) + float(r.get("width")) for g in bars(root) for r in g.iter(f"{SVG}rect")]
    assert float(line.get("x1")) > max(bar_ends)


def test_bar_chart_without_goal_has_no_goal_line():
    root = parse(bar_chart(REGIONS, id="r", title="T"))
    assert goal_groups(root) == []
    assert not any(t.startswith("Doel") for t in texts(root))


def test_bar_chart_desc_sums_up_the_data_in_words():
    root = parse(bar_chart(REGIONS, id="r", title="T", description="Gecertificeerde professionals per regio."))
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Gecertificeerde professionals per regio.")
    assert "hoogste: Twente 120" in desc
    assert "Limburg 0" in desc


def test_empty_bar_chart_says_nog_geen_gegevens_and_draws_no_bars():
    root = parse(bar_chart([], id="r", title="Per regio", goal=3000))
    assert "Nog geen gegevens" in texts(root)
    assert bars(root) == []
    assert "Nog geen gegevens" in root.find(f"{SVG}desc").text


def test_bar_chart_of_only_zeros_draws_zero_length_bars_labelled_0():
    root = parse(bar_chart([("A", 0), ("B", 0)], id="r", title="T"))
    assert len(bars(root)) == 2
    assert [float(g.find(f"{SVG}rect").get("width")) for g in bars(root)] == [0, 0]
    assert texts(root).count("0") == 2
    assert "alle met waarde 0" in root.find(f"{SVG}desc").text


def test_bar_chart_with_a_single_row():
    root = parse(bar_chart([("Twente", 7)], id="r", title="T"))
    assert len(bars(root)) == 1
    assert "7" in texts(root)
    assert root.find(f"{SVG}desc").text == "1 staaf: Twente 7."


def test_long_label_is_cut_off_with_an_ellipsis_but_kept_whole_in_the_bar_title():
    label = "Stichting Jeugdhulp en Gezinsbegeleiding Regio Zuidoost-Brabant en Omstreken"
    root = parse(bar_chart([(label, 5)], id="r", title="T"))
    [group] = bars(root)
    shown = [t for t in texts(group) if t != "5"]
    assert len(shown) == 1
    assert shown[0].endswith("…") and len(shown[0]) <= 28
    assert label.startswith(shown[0][:-1])
    assert label in group.find(f"{SVG}title").text


def test_hostile_label_title_and_description_are_escaped():
    chart = bar_chart([(HOSTILE, 3)], id="r", title=HOSTILE, description=HOSTILE)
    assert "<script>" not in chart
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart
    root = parse(chart)
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text.startswith(HOSTILE)
    assert HOSTILE in texts(root)
    assert not list(root.iter(f"{SVG}script"))


def test_negative_values_and_non_positive_goals_are_refused():
    with pytest.raises(ValueError):
        bar_chart([("A", -1)], id="r", title="T")
    with pytest.raises(ValueError):
        bar_chart([("A", 1)], id="r", title="T", goal=0)


# -- progress chart -------------------------------------------------------------------------------------------


def test_progress_chart_draws_one_column_per_period_with_value_and_period_visible():
    root = parse(progress_chart(MONTHS, id="p", title="Over tijd"))
    groups = bars(root)
    assert len(groups) == len(MONTHS)
    for group, (period, value) in zip(groups, MONTHS, strict=True):
        assert format_number(value) in texts(group), f"the value of {period} is not written out"
        assert period in texts(group)
    assert "1.500" in texts(root)


def test_progress_chart_goal_line_is_dashed_and_labelled_doel_3000():
    root = parse(progress_chart(MONTHS, id="p", title="Over tijd", goal=3000))
    [goal] = goal_groups(root)
    line = goal.find(f"{SVG}line")
    assert line.get("stroke-dasharray")
    assert line.get("y1") == line.get("y2"), "the goal line is horizontal"
    assert "Doel: 3.000" in texts(goal)


def test_progress_chart_y_axis_runs_to_the_goal_when_the_goal_is_higher():
    root = parse(progress_chart([("2026-01", 1500)], id="p", title="T", goal=3000))
    rect = bars(root)[0].find(f"{SVG}rect")
    bottom = float(rect.get("y")) + float(rect.get("height"))
    goal_y = float(goal_groups(root)[0].find(f"{SVG}line").get("y1"))
    assert bottom - goal_y == pytest.approx(2 * float(rect.get("height")), abs=0.2)


def test_progress_chart_y_axis_runs_to_the_highest_value_when_above_the_goal():
    root = parse(progress_chart([("2026-01", 1000), ("2026-02", 4000)], id="p", title="T", goal=2000))
    low, high = (g.find(f"{SVG}rect") for g in bars(root))
    assert float(high.get("height")) == pytest.approx(4 * float(low.get("height")), abs=0.2)
    goal_y = float(goal_groups(root)[0].find(f"{SVG}line").get("y1"))
    assert float(high.get("y")) < goal_y, "the column above the goal pokes through the goal line"


def test_progress_chart_without_goal_has_no_goal_line():
    root = parse(progress_chart(MONTHS, id="p", title="T"))
    assert goal_groups(root) == []


def test_progress_chart_desc_names_the_periods_the_last_total_and_the_share_of_the_goal():
    desc = parse(progress_chart(MONTHS, id="p", title="T", goal=3000)).find(f"{SVG}desc").text
    assert "2026-01" in desc and "2026-04" in desc
    assert "laatste stand: 2.200" in desc
    assert "Doel: 3.000; bereikt: 73%" in desc


def test_empty_progress_chart_says_nog_geen_gegevens():
    root = parse(progress_chart([], id="p", title="T", goal=3000))
    assert "Nog geen gegevens" in texts(root)
    assert bars(root) == []


def test_progress_chart_of_zeros_and_a_single_period_still_renders():
    root = parse(progress_chart([("2026-03", 0)], id="p", title="T"))
    assert len(bars(root)) == 1
    assert "0" in texts(root)
    assert root.find(f"{SVG}desc").text == "Stand in 2026-03: 0."


def test_progress_chart_with_many_periods_keeps_every_value_label_and_turns_labels_upright():
    points = [(f"{2023 + i // 12}-{i % 12 + 1:02d}", i * 70) for i in range(60)]
    root = parse(progress_chart(points, id="p", title="T", goal=3000))
    assert len(bars(root)) == 60
    for group, (_period, value) in zip(bars(root), points, strict=True):
        assert format_number(value) in texts(group)
        assert all("rotate(-90" in t.get("transform", "") for t in group.iter(f"{SVG}text"))
    assert float(root.get("viewBox").split()[2]) > 640, "sixty columns need a wider viewBox to stay readable"


def test_progress_chart_escapes_a_hostile_period_label():
    chart = progress_chart([(HOSTILE, 1)], id="p", title=HOSTILE)
    assert "<script>" not in chart
    assert not list(parse(chart).iter(f"{SVG}script"))


def test_a_progress_chart_far_below_its_goal_fits_its_axis_to_the_data_and_writes_the_goal_out():
    root = parse(progress_chart([("okt 2026", 30), ("nov 2026", 45)], id="p", title="T", goal=3000))
    heights = [float(g.find(f"{SVG}rect").get("height")) for g in bars(root)]
    assert heights[1] > 150, "a column of 45 on a 0-3.000 axis was invisible"
    assert heights[0] == pytest.approx(heights[1] * 30 / 45, abs=0.5)
    assert "Doel: 3.000 (hoger dan de schaal)" in texts(root)


def test_a_bar_above_zero_is_never_invisible():
    root = parse(bar_chart([("Groot", 3000), ("Klein", 1), ("Nul", 0)], id="r", title="T"))
    widths = [float(g.find(f"{SVG}rect").get("width")) for g in bars(root)]
    assert widths[1] >= 3 and widths[2] == 0


def test_a_narrow_bar_chart_writes_each_label_above_its_bar_in_full():
    long_label = "Jeugdbescherming en jeugdreclassering"
    root = parse(bar_chart([(long_label, 12), ("Wijkteam", 40)], id="r", title="T", width=360))
    assert root.get("viewBox") == f"0 0 360 {root.get('viewBox').split()[3]}"
    assert long_label in texts(root)
    for group in bars(root):
        label = group.find(f"{SVG}text")
        assert label.get("text-anchor") == "start"
        assert float(group.find(f"{SVG}rect").get("y")) > float(label.get("y")), "the bar sits under its label"
