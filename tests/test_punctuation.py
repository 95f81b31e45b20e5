"""The punctuation repair: full width between Chinese, ASCII where ASCII belongs."""

from hypothesis import given, strategies as st

from handbook.seeds.punctuation import repair


def test_examples_from_the_seeds():
    # Each pair was read against the published documents' conventions.
    assert repair("中国(广东)自由贸易试验区") == "中国（广东）自由贸易试验区"
    assert repair("各区人民政府,市政府各部门:") == "各区人民政府，市政府各部门："
    assert repair("管理办法(试行)》;制定3个") == "管理办法（试行）》；制定3个"
    assert repair("粤港澳大湾区“9+2”(11)个城市") == "粤港澳大湾区“9+2”（11）个城市"
    assert repair("9个司法所+N(行业专业调解组织+其他调解主体)”协同") == "9个司法所+N（行业专业调解组织+其他调解主体）”协同"
    assert repair("免费包邮,316个服务") == "免费包邮，316个服务"
    assert repair("领域(7项)。") == "领域（7项）。"
    assert repair("(一)政府职能转变") == "（一）政府职能转变"


def test_ascii_stays_where_it_belongs():
    for text in ("1+3+4", "10.9亿元", "“9+2”城市", "2019年9月", "中国软件CBD园区", "税务Ukey、",
                 "17:38:04", "3,000", "(ABC)", "f(x), g(y)"):
        assert repair(text) == text


@given(st.text(alphabet="中国,;:()ab12 “”。"))
def test_changes_only_the_five_marks(text):
    repaired = repair(text)
    assert len(repaired) == len(text)
    for before, after in zip(text, repaired):
        assert before == after or (before, after) in {(",", "，"), (";", "；"), (":", "："), ("(", "（"), (")", "）")}


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_text_without_chinese_is_left_alone(text):
    assert repair(text) == text
