"""Question scope: a year or province narrows the plans only when it names the plan; the 2025
provincial units reach their predecessors' plans; a plan that is not indexed is declined."""

from __future__ import annotations

import pytest

from index.models import DocumentMeta
from index.store import DocRecord
from lang.provinces import CITIES, UNITS_2025, now_part_of, same_place, successor
from rag.query import analyze, plan_years
from rag.scope import NotIndexed, Scope, issuer_naming_the_plan, select_plans


@pytest.mark.parametrize(("question", "periods"), [
    # the year names the plan
    ("Theo Kế hoạch thông tin đối ngoại năm 2024 của tỉnh Thừa Thiên Huế, ai chủ trì?", [(2024, 2024)]),
    ("Kế hoạch thông tin đối ngoại của thành phố Đà Nẵng năm 2025 yêu cầu gì?", [(2025, 2025)]),
    ("ke hoach thong tin doi ngoai tinh bac ninh nam 2024 giao so nao chu tri", [(2024, 2024)]),
    ("Kế hoạch xuất khẩu giai đoạn 2026 - 2030 của Sơn La giao sở nào chủ trì?", [(2026, 2030)]),
    ("Kế hoạch 5G Nghệ An giai đoạn 2026–2030, tầm nhìn đến năm 2045 có mấy giải pháp?", [(2026, 2030)]),
    ("Hạn báo cáo của Hưng Yên năm 2026 là ngày nào?", [(2026, 2026)]),
    ("Vĩnh Phúc 2024 giao ai chủ trì?", [(2024, 2024)]),
    ("Báo cáo hoạt động thông tin đối ngoại năm 2024 ở Huế gửi về sở nào?", [(2024, 2024)]),
    ("Báo cáo năm 2024 trên địa bàn tỉnh Thừa Thiên Huế gửi về đâu?", [(2024, 2024)]),
    ("Kế hoạch 2024 của Vĩnh Phúc", [(2024, 2024)]),
    ("Kế hoạch năm 2026 có yêu cầu báo cáo trước ngày 15/12/2025 không?", [(2026, 2026)]),
    ("Còn năm 2025 thì hạn chót gửi báo cáo là ngày nào?", [(2025, 2025)]),
    ("Năm 2024, Thừa Thiên Huế bảo dưỡng những cụm pano nào?", [(2024, 2024)]),
    ("KH triển khai thi hành Luật Việc làm năm 2025 của TP.HCM giao sở nào?", [(2025, 2025)]),
    # a target or horizon
    ("Phấn đấu đến năm 2030 đạt bao nhiêu triệu USD xuất khẩu?", []),
    ("Kế hoạch phát triển hạ tầng 5G của Hà Nội đến năm 2030 giao ai chủ trì?", []),
    ("Chỉ tiêu năm 2025 về tỷ lệ nữ lãnh đạo là bao nhiêu?", []),
    ("Tỷ lệ nữ giám đốc đạt ít nhất 27% vào năm 2025 phải không?", []),
    ("Mục tiêu đến hết năm 2026 của Hà Nội về 5G là gì?", []),
    # a deadline
    ("Báo cáo gửi Sở Nội vụ trước ngày 16 tháng 12 năm 2025 phải không?", []),
    ("Hạn chót là trước ngày 15/12/2025 đúng không?", []),
    ("Các nhiệm vụ phải hoàn thành trong năm 2026 của kế hoạch Hưng Yên là gì?", []),
    ("Những việc nào phải xong trước năm 2026?", []),
    # the time of an activity
    ("Thời gian thực hiện: Năm 2026 và các năm tiếp theo là của nhiệm vụ nào?", []),
    ("Thời gian thực hiện: Quý IV năm 2025 và các năm tiếp theo.", []),
    ("Mục tiêu giai đoạn 2026–2030 của kế hoạch xuất khẩu Sơn La là gì?", []),
    ("3. Thời gian thực hiện Chương trình: Từ năm 2025 đến hết năm 2030.", []),
    ("Rà soát thủ tục hành chính về quy hoạch (2027 - 2030) do ai chủ trì?", []),
    # part of a document number or a date
    ("Theo Nghị quyết 197/2025/QH15, Hà Nội phải làm gì?", []),
    ("Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của Hà Nội giao ai chủ trì?", []),
    ("Kế hoạch thực hiện Chỉ thị số 27/CT-TTg ngày 15/8/2024 giao ai?", []),
    ("Nghị định 30/2020/NĐ-CP quy định thể thức gì?", []),
    # a plan's number that looks like a year is its number, never a year
    ("Kế hoạch 2047/KH-UBND đặt những chỉ tiêu nào cho năm 2025 và 2026?", []),
    ("Theo Kế hoạch 2047/KH-UBND, các sở gửi báo cáo về đâu?", []),
    ("Kế hoạch số 2024 của Bắc Kạn giao ai?", []),
    ("kh 2047/kh-ubnd bắc kạn giao ai?", []),
    ("Quyết định 2025/QĐ-UBND năm 2024 của Bắc Kạn giao ai?", [(2024, 2024)]),
])
def test_a_year_narrows_only_when_it_names_the_plan(question, periods):
    assert plan_years(question)[0] == periods
    assert analyze(question).years == sorted({a for a, _ in periods})


def test_the_signing_year_is_named_by_ban_hanh():
    assert plan_years("Kế hoạch do UBND tỉnh Sơn La ban hành năm 2025 nói gì về xoài?") == ([], [2025])


def _doc(source: str, province: str | None, years: tuple[int, ...] = (), signed_year: int | None = None) -> DocRecord:
    meta = DocumentMeta(source=source, title=f"Kế hoạch {source}", province=province, years=years,
                        signed_year=signed_year)
    return DocRecord(meta=meta, n_chunks=1)


DOCS = [
    _doc("vinh-phuc-2024.txt", "Vĩnh Phúc", (), 2024),
    _doc("hung-yen-2026.txt", "Hưng Yên", (2026,), 2025),
    _doc("thua-thien-hue-2024.txt", "Thừa Thiên Huế", (2024,)),
    _doc("thua-thien-hue-2025.txt", "Thừa Thiên Huế", (2025,)),
    _doc("son-la-2025.txt", "Sơn La", tuple(range(2026, 2031)), 2025),
    _doc("xyz.txt", "Đắk Tân", (2026,), 2025),  # a province in no list: kept as written
    DocRecord(meta=DocumentMeta(source="ha-noi-5g.txt", title="Kế hoạch phát triển hạ tầng 5G đến năm 2030",
                                province="Hà Nội", signed_year=2025, horizon=2030), n_chunks=1),
]


def scope(question: str):
    return select_plans(analyze(question), DOCS)


def test_a_new_unit_reaches_its_predecessors_plans_and_says_so():
    found = scope("Kế hoạch thông tin đối ngoại của tỉnh Phú Thọ năm 2024 giao ai chủ trì?")
    assert found.sources == ["vinh-phuc-2024.txt"]
    assert found.notes == ["Vĩnh Phúc, nay thuộc tỉnh Phú Thọ"]
    hue = scope("Kế hoạch thông tin đối ngoại của thành phố Huế năm 2025")
    assert hue.sources == ["thua-thien-hue-2025.txt"] and hue.notes == ["Thừa Thiên Huế, nay là thành phố Huế"]
    assert scope("Hưng Yên năm 2026 giao ai chủ trì?").notes == []  # a current unit needs no note


def test_a_former_province_reaches_its_own_plans_and_its_new_units_plans_issued_after_the_merger():
    assert scope("Kế hoạch của tỉnh Vĩnh Phúc giao ai chủ trì?").sources == ["vinh-phuc-2024.txt"]
    # Thái Bình is part of Hưng Yên since 1 July 2025: Hưng Yên's 2026 plan governs it
    found = scope("Kế hoạch thông tin đối ngoại của tỉnh Thái Bình năm 2026 giao ai chủ trì?")
    assert found.sources == ["hung-yen-2026.txt"] and found.notes == ["Thái Bình, nay thuộc tỉnh Hưng Yên"]
    assert isinstance(scope("Kế hoạch của tỉnh Thái Bình năm 2024"), NotIndexed)
    # a plan of the new unit issued before the merger does not cover the former province
    before = [DocRecord(meta=DocumentMeta(source="hy-2025.txt", title="K", province="Hưng Yên", years=(2025,),
                                          signed="2025-03-02", signed_year=2025), n_chunks=1)]
    assert isinstance(select_plans(analyze("Kế hoạch của tỉnh Thái Bình năm 2025"), before), NotIndexed)
    # a pure rename works both ways: Thừa Thiên Huế is Huế
    assert len(scope("Thừa Thiên Huế năm 2025").sources) == 1


def test_a_plan_not_indexed_is_declined_with_the_available_plans():
    refusal = scope("Kế hoạch thông tin đối ngoại của thành phố Đà Nẵng năm 2025 yêu cầu gì?")
    assert isinstance(refusal, NotIndexed)
    assert all(name in refusal.refusal for name in ("thành phố Đà Nẵng", "Vĩnh Phúc 2024", "Hưng Yên 2026"))
    wrong_year = scope("Kế hoạch thông tin đối ngoại tỉnh Hưng Yên năm 2023 giao ai?")
    assert isinstance(wrong_year, NotIndexed) and "2023" in wrong_year.refusal
    assert isinstance(scope("Kế hoạch của Vĩnh Phúc năm 2025"), NotIndexed)  # its only year is 2024


def test_targets_deadlines_and_document_numbers_do_not_narrow():
    assert scope("Kế hoạch xuất khẩu của Sơn La phấn đấu đến năm 2030 đạt bao nhiêu?").sources == ["son-la-2025.txt"]
    assert scope("Sơn La phải báo cáo trước ngày 15/12/2025 về việc gì?").sources == ["son-la-2025.txt"]
    assert len(scope("Theo Nghị quyết 197/2025/QH15 thì phải làm gì?").sources) == len(DOCS)


def test_a_plan_without_stated_years_runs_from_its_signing_to_its_horizon():
    assert scope("Kế hoạch 5G của Hà Nội giai đoạn 2026 - 2030 giao ai?").sources == ["ha-noi-5g.txt"]
    assert scope("Kế hoạch 5G của Hà Nội năm 2025 giao ai?").sources == ["ha-noi-5g.txt"]
    assert isinstance(scope("Kế hoạch 5G của Hà Nội năm 2024"), NotIndexed)


def test_a_period_names_the_plans_it_overlaps_and_a_signing_year_the_signed_ones():
    assert scope("Kế hoạch xuất khẩu giai đoạn 2026 - 2030 của Sơn La").sources == ["son-la-2025.txt"]
    assert scope("Kế hoạch của Sơn La ban hành năm 2025").sources == ["son-la-2025.txt"]
    # it covers 2026–2030 but was issued in 2025: with no plan of Sơn La covering 2025, the year it
    # was issued in names it (issue 21: decline only on evidence of absence)
    assert scope("Kế hoạch xuất khẩu năm 2025 của Sơn La").sources == ["son-la-2025.txt"]
    assert isinstance(scope("Kế hoạch xuất khẩu năm 2023 của Sơn La"), NotIndexed)


def test_a_year_a_plan_reports_estimates_for_names_it_when_none_covers_it():
    from index.models import DocumentMeta
    from rag.scope import issued_or_reports

    plan_2026 = DocumentMeta(source="x.txt", title="Kế hoạch năm 2026", province=None, years=(2026,),
                             signed="2026-01-10", reported_years=(2025,))
    assert issued_or_reports(plan_2026, 2025, 2025)  # "ước thực hiện năm 2025"
    assert not issued_or_reports(plan_2026, 2024, 2024)
    silent = DocumentMeta(source="y.txt", title="Kế hoạch năm 2026", province=None, years=(2026,),
                          signed="2026-01-10")
    assert not issued_or_reports(silent, 2025, 2025)  # the year before, with no word of it: not this plan


def test_the_years_a_plan_reports_on_are_read_from_its_text():
    from index.metadata import reported_years

    assert reported_years("Kết quả thực hiện Kế hoạch năm 2025: ước thực hiện năm 2025 đạt 95%.") == (2025,)
    assert reported_years("Đánh giá kết quả\nthực hiện năm 2024 và đề ra nhiệm vụ năm 2025") == (2024,)
    # a comparison or a context year is not a report on it
    assert reported_years("Giảm tỷ lệ mắc so với năm 2025; tình hình dịch năm 2025.") == ()
    assert reported_years("ước thực hiện giai đoạn năm 2021 - 2025") == ()


def test_a_partner_province_does_not_decline_a_question_about_an_indexed_one():
    found = scope("Kế hoạch của Hưng Yên năm 2026 có phối hợp với tỉnh Quảng Ninh không?")
    assert found.sources == ["hung-yen-2026.txt"]


def test_an_abbreviation_that_may_name_several_provinces_reaches_whichever_is_indexed():
    ha_nam = DocRecord(meta=DocumentMeta(source="ha-nam-2025.txt", title="Kế hoạch bệnh không lây nhiễm",
                                         province="Hà Nam", years=(2025,)), n_chunks=1)
    only_ha_nam = [d for d in DOCS if d.meta.province != "Hà Nội"] + [ha_nam]
    found = select_plans(analyze("sở y tế hn kiểm tra định kỳ thế nào"), only_ha_nam)
    assert not isinstance(found, NotIndexed) and found.sources == ["ha-nam-2025.txt"] and found.notes == []
    # both indexed: the abbreviation stays ambiguous, each plan is reached
    both = select_plans(analyze("sở y tế hn kiểm tra định kỳ thế nào"), [*DOCS, ha_nam])
    assert not isinstance(both, NotIndexed) and sorted(both.sources) == ["ha-nam-2025.txt", "ha-noi-5g.txt"]
    # the name written out is one province
    assert isinstance(select_plans(analyze("Sở Y tế Hà Nội kiểm tra định kỳ thế nào"), only_ha_nam), NotIndexed)


def test_an_unknown_province_is_kept_as_written_and_found():
    assert scope("Kế hoạch của tỉnh Đắk Tân năm 2026").sources == ["xyz.txt"]
    assert scope("ke hoach cua tinh dak tan giao ai chu tri").sources == ["xyz.txt"]


def test_the_34_units():
    assert len(UNITS_2025) == 34 and len(CITIES) == 6
    merged = [u for u, preds in UNITS_2025.items() if preds and u != "Huế"]
    assert len(merged) == 23
    former = {p for preds in UNITS_2025.values() for p in preds}
    assert len(former | set(UNITS_2025)) == 64  # the 63 former units and the new name Huế
    assert successor("Thái Bình") == "Hưng Yên" and successor("Phú Yên") == "Đắk Lắk"
    assert successor("Bắc Giang") == "Bắc Ninh" and successor("Hòa Bình") == "Phú Thọ"
    assert same_place("Phú Thọ") == {"Phú Thọ", "Vĩnh Phúc", "Hòa Bình"}
    assert now_part_of("Bà Rịa - Vũng Tàu") == "Bà Rịa - Vũng Tàu, nay thuộc Thành phố Hồ Chí Minh"
    assert now_part_of("Nghệ An") is None


def test_the_answer_says_the_former_province_is_now_part_of_the_named_unit(sample_app):
    answer = sample_app.assistant.ask(
        "Kế hoạch thông tin đối ngoại của tỉnh Phú Thọ năm 2024 giao sở nào tổng hợp báo cáo?")
    assert not answer.abstained
    assert "Vĩnh Phúc, nay thuộc tỉnh Phú Thọ" in answer.answer
    assert {c.source for c in answer.citations} == {"vinh-phuc-2024.txt"}
    refusal = sample_app.assistant.ask("Kế hoạch của tỉnh Bắc Ninh năm 2025 giao ai chủ trì?")
    assert refusal.abstained and "Vĩnh Phúc 2024" in refusal.answer and "Bắc Ninh" in refusal.answer


def test_plans_sharing_a_name_are_listed_with_their_numbers():
    from rag.scope import available_plans

    docs = [_doc("a.txt", "Cần Thơ", (2025,)), _doc("b.txt", "Cần Thơ", (2025,)), _doc("c.txt", "Sơn La", (2026,))]
    docs[0] = DocRecord(meta=DocumentMeta(source="a.txt", title="K", province="Cần Thơ", years=(2025,),
                                          number="153/KH-UBND"), n_chunks=1)
    assert available_plans(docs) == "Cần Thơ 2025 (153/KH-UBND); Cần Thơ 2025 (b.txt); Sơn La 2026"


@pytest.mark.skipif(not __import__("eval.metadata_eval").metadata_eval.SHARED_PLANS_DIR.is_dir(),
                    reason="../shared/plans is not present")
def test_no_real_plan_is_refused_for_a_target_deadline_period_or_document_number():
    from eval.metadata_eval import SHARED_PLANS_DIR
    from index.structure import parse_plan
    from lang.provinces import with_kind

    docs = [DocRecord(meta=parse_plan(p.read_text(encoding="utf-8"), p.name).meta, n_chunks=1)
            for p in sorted(SHARED_PLANS_DIR.glob("*.txt"))]
    phrasings = [
        "Theo kế hoạch của {p}, mục tiêu đến năm 2030 là gì?",
        "Kế hoạch của {p} yêu cầu báo cáo trước ngày 15/12/2025 về việc gì?",
        "Kế hoạch của {p} thực hiện Nghị quyết 197/2025/QH15 giao ai chủ trì?",
        "Theo kế hoạch của {p}, nhiệm vụ giai đoạn 2026–2030 gồm những gì?",
        "Trong năm 2026, {p} phải hoàn thành nhiệm vụ gì theo kế hoạch?",
        "Kế hoạch của {p} năm {y} giao ai chủ trì?",  # its first year, or the year it was signed
    ]
    refused = []
    for doc in docs:
        for phrasing in phrasings:
            question = phrasing.format(p=with_kind(doc.meta.province), y=doc.meta.year)
            found = select_plans(analyze(question), docs)
            if isinstance(found, NotIndexed) or doc.meta.source not in found.sources:
                refused.append((doc.meta.source, question))
    assert refused == []
    # a year no plan covers is still refused
    assert all(isinstance(select_plans(analyze(f"Kế hoạch của {with_kind(d.meta.province)} năm 2019"), docs), NotIndexed)
               for d in docs)


def test_a_plan_left_out_by_the_year_needs_no_note_and_notes_follow_the_cited_plans():
    docs = [*DOCS, _doc("thai-binh-2024.txt", "Thái Bình", (2024,), 2024)]
    found = select_plans(analyze("Kế hoạch thông tin đối ngoại của tỉnh Hưng Yên năm 2026 giao ai chủ trì?"), docs)
    assert isinstance(found, Scope)
    assert found.sources == ["hung-yen-2026.txt"] and found.notes == []  # Thái Bình 2024 is out by its year
    both = select_plans(analyze("Kế hoạch thông tin đối ngoại của tỉnh Hưng Yên giao ai chủ trì?"), docs)
    assert isinstance(both, Scope)
    assert set(both.sources) == {"hung-yen-2026.txt", "thai-binh-2024.txt"}
    assert both.notes_for(["hung-yen-2026.txt"]) == []  # the answer cites Hưng Yên's own plan
    assert both.notes_for(["thai-binh-2024.txt"]) == ["Thái Bình, nay thuộc tỉnh Hưng Yên"]
    assert both.notes_for([]) == ["Thái Bình, nay thuộc tỉnh Hưng Yên"]  # a decline says what it searched


def _scope(question: str, docs: list[DocRecord]) -> Scope:
    found = select_plans(analyze(question), docs)
    assert isinstance(found, Scope)
    return found


def test_a_plan_whose_years_cannot_be_read_is_not_refused_for_a_year():
    # an OCR'd plan whose header date and title year are illegible: the year may be its own
    unread = _doc("quang-tri-ocr.txt", "Quảng Trị")
    docs = [*DOCS, unread]
    assert _scope("Quảng Trị 2026: các sở báo cáo về đâu?", docs).sources == ["quang-tri-ocr.txt"]
    # a plan whose year is known and matches is preferred to the unreadable one
    known = _doc("quang-tri-2026.txt", "Quảng Trị", (2026,))
    assert _scope("Quảng Trị 2026: các sở báo cáo về đâu?", [known, unread]).sources == [
        "quang-tri-2026.txt"]
    # a plan whose signing year is known is still refused for another year
    assert isinstance(scope("Kế hoạch của Vĩnh Phúc năm 2025"), NotIndexed)


def test_a_plan_named_by_a_law_it_executes_keeps_its_subject():
    from rag.scope import plan_topic, title_words
    # "thi hành" is the subject, not the "thì" that ends a plan's name
    question = "Kế hoạch triển khai thi hành Luật Việc làm của Hà Nội giao sở nào chủ trì tập huấn?"
    assert plan_topic(question) == "thi hanh luat viec lam"
    assert title_words(question) == "thi hanh luat viec lam"
    assert plan_topic("Kế hoạch chuyển đổi số thì ai chủ trì?") == "chuyen doi"  # "thì" still ends it


@pytest.mark.parametrize(("topic", "title", "shares"), [
    # one common syllable ("hành" of "ban hành kế hoạch hành động") is no shared subject
    ("thi hanh luat viec lam", "Kế hoạch triển khai Nghị quyết ban hành kế hoạch hành động về dữ liệu số", False),
    ("thi hanh luat viec lam", "Kế hoạch triển khai thi hành Luật việc làm trên địa bàn Thành phố", True),
    ("song iot", "Kế hoạch phát triển hệ thống sóng viễn thông 5G, internet vạn vật (IoT)", True),  # paraphrase
    ("pcccr", "Kế hoạch phòng cháy, chữa cháy rừng năm 2026 của tỉnh Lào Cai", True),  # spelled out
])
def test_a_plan_shares_a_subject_by_two_words_or_half_of_them(topic, title, shares):
    from rag.scope import _shares_topic
    assert _shares_topic(topic, title) is shares


@pytest.mark.parametrize(("question", "issuer", "agencies"), [
    # a Sở's plan named by its issuer, the lead asked: the issuer names the plan, its units act
    ("Theo Kế hoạch của Sở Tư pháp tỉnh Hòa Sơn, đơn vị nào chủ trì tổ chức cuộc thi?",
     "Sở Tư pháp tỉnh Hòa Sơn", []),
    # another body named with the issuer: the other one is asked about
    ("Sở Y tế và Sở Tư pháp phối hợp với ai?", "Sở Tư pháp tỉnh Hòa Sơn", ["Sở Y tế"]),
    # the issuer alone, no lead asked: the Sở's own tasks are asked
    ("Sở Tư pháp phải làm gì?", "Sở Tư pháp tỉnh Hòa Sơn", ["Sở Tư pháp"]),
    # a UBND's plan: the UBND stays (it receives reports, it is asked about)
    ("Sở Y tế báo cáo UBND tỉnh khi nào?", "UBND tỉnh Hòa Sơn", ["Sở Y tế", "Ủy ban nhân dân tỉnh"]),
])
def test_the_issuer_of_a_body_issued_plan_names_the_plan(question, issuer, agencies):
    assert issuer_naming_the_plan(analyze(question), issuer).agencies == agencies


@pytest.mark.parametrize(("question", "province", "agencies"), [
    # a centrally-run city's plan names the front "… thành phố": the question's "Mặt trận Tổ quốc"
    ("Mặt trận Tổ quốc làm gì?", "Cần Thơ", ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"]),
    ("Mặt trận Tổ quốc làm gì?", "Thành phố Hồ Chí Minh", ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố"]),
    # a province's plan: the body stays at its level
    ("Mặt trận Tổ quốc làm gì?", "Nghệ An", ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]),
    # a body the lexicon reads as one name at either level keeps its name
    ("Hội LHPN tỉnh làm gì?", "Cần Thơ", ["Hội Liên hiệp Phụ nữ tỉnh"]),
    # no province known: nothing changes
    ("Mặt trận Tổ quốc làm gì?", None, ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"]),
])
def test_a_citys_plan_names_its_province_level_bodies_at_its_level(question, province, agencies):
    from rag.scope import bodies_at_plan_level
    meta = DocumentMeta(source="plan.txt", title="Kế hoạch", province=province)
    assert bodies_at_plan_level(analyze(question), [meta]).agencies == agencies
