"""A silent task's key words, searched for before the draft calls it not mentioned: cut where the reviews' own
words end, names whole, the words of every task left out."""

from dashboard.curate.terms import Vocabulary, key_terms

TASK = "lĩnh vực báo chí, xuất bản, truyền thông coi không gian mạng là mặt trận chính"


def test_a_run_of_syllables_is_cut_into_the_words_the_reviews_use_elsewhere():
    reviews = Vocabulary([], [TASK, "Bảo vệ an ninh trên không gian mạng."])
    assert "không gian mạng" in key_terms(TASK, reviews)
    # Read two syllables at a time, it was "coi không", "gian mạng": words no review would use.
    assert {"coi không", "gian mạng"}.isdisjoint(key_terms(TASK, reviews))
    assert "không gian mạng" not in key_terms(TASK, Vocabulary([], [TASK]))  # the task itself attests nothing


def test_names_stand_whole_and_the_words_of_every_task_are_left_out():
    nothing = Vocabulary([], [])
    assert key_terms("đẩy mạnh học tập, làm theo tư tưởng đạo đức, phong cách Hồ Chí Minh", nothing) == [
        "học tập", "tư tưởng", "đạo đức", "phong cách", "Hồ Chí Minh"]
    assert key_terms("ứng dụng trí tuệ nhân tạo (AI) và trợ lý ảo…", Vocabulary(["trí tuệ nhân tạo"], [])) == [
        "ứng dụng", "trí tuệ nhân tạo", "AI", "trợ lý ảo"]  # a search term the data has is read as one word
    assert key_terms("dịch vụ công, ít nhất có 70% người dân sử dụng", nothing) == [
        "dịch vụ công", "người dân", "sử dụng"]  # "ít nhất" qualifies a figure
