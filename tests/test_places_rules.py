"""The level a place's name says, the level a group unit names, compound names split, and what lies below what."""
from __future__ import annotations

import pytest

from duban.extract.vocabulary import GROUP_LEVEL_STARTS, GROUP_START_LEVELS
from duban.rules.places import LEVELS, below_or_same, group_level, is_below, level_of, lower_level, place_chain


@pytest.mark.parametrize("name, level", [
    ("河南省", "province"), ("广西壮族自治区", "province"), ("内蒙古自治区", "province"), ("北京市", "province"),
    ("郑州市", "city"), ("恩施土家族苗族自治州", "city"), ("锡林郭勒盟", "city"), ("阿里地区", "city"),
    ("金水区", "county"), ("巫溪县", "county"), ("达拉特旗", "county"), ("长阳土家族自治县", "county"),
    ("城关镇", "township"), ("红旗街道", "township"), ("黄土乡", "township"),
])
def test_the_level_a_name_says(name, level):
    assert level_of(name) == level


def test_a_city_under_a_city_is_county_level():
    assert level_of("新郑市") == "city"
    assert level_of("新郑市", parent_level="city") == "county"
    assert level_of("新郑市", parent_level="province") == "city"


@pytest.mark.parametrize("name", ["", "市", "办公室", "市民政局"])
def test_a_name_without_a_level_ending_has_no_level(name):
    assert level_of(name) is None


@pytest.mark.parametrize("unit, level", [
    ("各县(市)区政府", "county"), ("各县(市)区政府", "county"), ("各县区", "county"), ("各区县", "county"),
    ("各旗县区", "county"), ("各县(市、区)人民政府", "county"), ("各区县(自治县)政府", "county"),
    ("各乡镇(街道)", "township"), ("各街道", "township"), ("各乡镇人民政府", "township"), ("各街道办事处", "township"),
    ("各市", "city"),
])
def test_the_lower_level_a_group_unit_names(unit, level):
    assert group_level(unit) == level


@pytest.mark.parametrize("unit", ["各县民政局", "县区政府", "各有关部门", "各成员单位", "市民政局", ""])
def test_units_that_are_not_groups_of_places(unit):
    assert group_level(unit) is None


def test_every_group_start_the_extractor_knows_has_a_level():
    assert set(GROUP_LEVEL_STARTS) == set(GROUP_START_LEVELS)
    assert set(GROUP_START_LEVELS.values()) <= set(LEVELS)


@pytest.mark.parametrize("name, parts", [
    ("郑州市金水区", ["郑州市", "金水区"]),
    ("河南省郑州市金水区", ["河南省", "郑州市", "金水区"]),
    ("内蒙古自治区包头市", ["内蒙古自治区", "包头市"]),
    ("荆州市沙市区", ["荆州市", "沙市区"]),
    ("恩施土家族苗族自治州恩施市", ["恩施土家族苗族自治州", "恩施市"]),
    ("郑州市", ["郑州市"]),
    ("市民政局", ["市民政局"]),
])
def test_a_compound_place_name_split_top_down(name, parts):
    assert place_chain(name) == parts


def test_known_names_are_taken_whole():
    assert place_chain("济南市市中区", known=["济南市"]) == ["济南市", "市中区"]


def test_what_lies_below_what():
    tree = {1: None, 2: 1, 3: 2, 4: 1, 5: None}  # 河南省 > 郑州市 > 金水区; 河南省 > 开封市; 包头市 alone
    assert is_below(tree, 3, 1) and is_below(tree, 3, 2) and is_below(tree, 2, 1)
    assert not is_below(tree, 1, 3) and not is_below(tree, 3, 4) and not is_below(tree, 3, 5)
    assert not is_below(tree, 1, 1) and below_or_same(tree, 1, 1)
    assert not is_below({1: 2, 2: 1}, 1, 3)  # a broken tree with a loop ends, it does not hang


def test_levels_compare_top_down():
    assert lower_level("county", "city") and not lower_level("city", "county")
    assert not lower_level(None, "city") and not lower_level("city", "city")
