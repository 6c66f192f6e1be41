from duban.rules.names import written_name


def test_the_shared_level_character_is_written_once():
    assert written_name("包头市", "市民政局") == "包头市民政局"
    assert written_name("巫溪县", "县卫生健康委") == "巫溪县卫生健康委"


def test_groups_and_names_that_carry_their_place_are_kept():
    assert written_name("包头市", "各旗县区政府") == "包头市各旗县区政府"
    assert written_name("包头市", "中国人民银行包头市分行") == "中国人民银行包头市分行"
    assert written_name(None, "市民政局") == "市民政局"
