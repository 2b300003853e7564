# Checks set y: every line parses, every gold section's text (line span read by hand from the
# plan's outline, heading checked) contains at least one spelling of every key fact (case-folded).
# Run from this folder: python3 check.py [PLANS_DIR]   (default ../../../../shared/plans)
import json, sys, os
PLANS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../shared/plans")
# (source, section) -> (first line, last line, text the first line starts with)
SPANS = {
 ("can-tho-2025-phong-chong-ma-tuy.txt","IV.1"): (74,88,"1. Công an thành phố"),
 ("can-tho-2025-phong-chong-ma-tuy.txt","IV.11"): (119,122,"11. Đề nghị Chi cục Hải quan"),
 ("can-tho-2025-phong-chong-ma-tuy.txt","IV.12"): (123,126,"12. Đề nghị Ủy ban Mặt trận"),
 ("can-tho-2025-phong-chong-ma-tuy.txt","IV.13"): (127,129,"13. Đề nghị Ban Tuyên giáo"),
 ("can-tho-2025-phong-chong-ma-tuy.txt","IV.14.a"): (131,131,"a) Phối hợp chặt chẽ với Công an"),
 ("dong-nai-2025-phong-chong-ma-tuy.txt","IV"): (109,115,"IV. TỔ CHỨC THỰC HIỆN"),
 ("dong-nai-2025-phong-chong-ma-tuy.txt","III.2.3.đ"): (74,74,"đ) Tham mưu"),
 ("dong-nai-2025-phong-chong-ma-tuy.txt","III.2.5"): (79,80,"2.5. Sở Y tế"),
 ("dong-nai-2025-phong-chong-ma-tuy.txt","III.2.1.c"): (55,55,"c) Phối hợp Công an tỉnh"),
 ("dong-nai-2025-phong-chong-ma-tuy.txt","III.2.13.e"): (105,105,"e) Rà soát"),
 ("ha-noi-2025-du-lieu-chuyen-doi-so.txt","III"): (68,74,"III. TỔ CHỨC THỰC HIỆN"),
 ("ha-noi-2025-du-lieu-chuyen-doi-so.txt","II.4.1"): (50,55,"4.1. Kinh phí"),
 ("ha-noi-2025-du-lieu-chuyen-doi-so.txt","II.2"): (32,39,"2. Về các nền tảng số"),
 ("ha-noi-2025-du-lieu-chuyen-doi-so.txt","II.4.3"): (62,67,"4.3. Về công tác đào tạo"),
 ("ho-chi-minh-2025-luat-viec-lam.txt","IV"): (37,43,"IV. TỔ CHỨC THỰC HIỆN"),
 ("ho-chi-minh-2025-luat-viec-lam.txt","II.3"): (28,29,"3. Xây dựng các văn bản"),
 ("lai-chau-2025-tieu-chuan-quy-chuan-ky-thuat.txt","IV.2"): (63,63,"2. Căn cứ nội dung"),
 ("lai-chau-2025-tieu-chuan-quy-chuan-ky-thuat.txt","II.3.2.b"): (39,42,"b) Nghị định quy định về điều kiện"),
 ("nghe-an-2025-phong-thu-dan-su.txt","IV.5"): (34,34,"5. Trong quá trình"),
 ("nghe-an-2025-phong-thu-dan-su.txt","PL1.II.7"): (51,51,"7 | Ban hành Quy chế Phối hợp tìm kiếm, cứu nạn trên biển"),
 ("nghe-an-2025-phong-thu-dan-su.txt","PL1.II.6"): (50,50,"6 | Tiếp nhận các số"),
 ("quang-ngai-2025-kiem-ke-tai-san-cong.txt","IV.1.6"): (89,93,"1.6. Trách nhiệm của các cơ quan quản lý cấp trên"),
 ("quang-ngai-2025-kiem-ke-tai-san-cong.txt","IV.1.5"): (80,88,"1.5. Trách nhiệm của đối tượng"),
 ("quang-ngai-2025-kiem-ke-tai-san-cong.txt","IV.1.4"): (67,79,"1.4. Ủy ban nhân dân các phường"),
 ("quang-ngai-2025-kiem-ke-tai-san-cong.txt","VI.3"): (99,99,"3. Trong quá trình thực hiện"),
 ("son-la-2025-xuat-khau-hang-hoa.txt","VI"): (143,146,"V. CHẾ ĐỘ BÁO CÁO"),
 ("son-la-2025-xuat-khau-hang-hoa.txt","PL2.17"): (213,213,"17 | Xi măng và clanke"),
 ("son-la-2025-xuat-khau-hang-hoa.txt","preamble"): (1,17,"ỦY BAN NHÂN DÂN TỈNH SƠN LA"),
 ("son-la-2025-xuat-khau-hang-hoa.txt","V.9"): (126,127,"9. Báo và phát thanh"),
 ("ho-chi-minh-2025-co-so-du-lieu-quy-hoach.txt","IV.1"): (80,85,"1. Sở Tài chính (cơ quan chủ trì)"),
 ("ho-chi-minh-2025-co-so-du-lieu-quy-hoach.txt","IV.4"): (90,91,"4. Trung tâm Chuyển đổi số"),
 ("ho-chi-minh-2025-co-so-du-lieu-quy-hoach.txt","PL1.VI.4"): (148,148,"4 | Đề xuất UBND Thành phố điều chỉnh"),
 ("ho-chi-minh-2025-co-so-du-lieu-quy-hoach.txt","PL1.II.1"): (122,123,"1 | Xây dựng hạ tầng công nghệ thông tin, trang thiết bị tại Sở Tài chính"),
 ("ha-noi-2025-ha-tang-5g-iot.txt","V.1"): (60,64,"1. Ban Quản lý các khu công nghệ cao"),
 ("ha-noi-2025-ha-tang-5g-iot.txt","PL1.4"): (89,89,"4 | Tổ chức triển khai thực hiện các dự án"),
 ("ha-noi-2025-ha-tang-5g-iot.txt","IV"): (51,58,"IV. KINH PHÍ THỰC HIỆN"),
 ("can-tho-2025-truyen-thong-giam-ngheo.txt","V.1"): (48,51,"1. Sở Nông nghiệp và Môi trường"),
 ("can-tho-2025-chi-tra-khong-dung-tien-mat.txt","V.1"): (65,70,"1. Sở Y tế"),
 ("can-tho-2025-chi-tra-khong-dung-tien-mat.txt","III.2.c"): (45,45,"c) Thực hiện chi trả"),
 ("can-tho-2025-chi-tra-khong-dung-tien-mat.txt","PL1.I.5"): (103,106,"5 | Điểm cộng"),
 ("can-tho-2025-chi-tra-khong-dung-tien-mat.txt","PL1.5"): (103,106,"5 | Điểm cộng"),
 ("can-tho-2025-chi-tra-khong-dung-tien-mat.txt","V"): (64,93,"V. TỔ CHỨC THỰC HIỆN"),
 ("can-tho-2025-chi-tra-khong-dung-tien-mat.txt","IV.1.a"): (59,59,"a) Chủ tịch Ủy ban nhân dân thành phố"),
 ("ho-chi-minh-2025-binh-dang-gioi.txt","V.1"): (98,101,"1. Sở Nội vụ"),
 ("ho-chi-minh-2025-binh-dang-gioi.txt","VII"): (114,117,"VII. CHẾ ĐỘ BÁO CÁO"),
 ("ho-chi-minh-2025-binh-dang-gioi.txt","III.2.b"): (89,91,"b) Hoạt động 2"),
 ("ho-chi-minh-2025-binh-dang-gioi.txt","III.1.b"): (75,77,"b) Hoạt động 2"),
 ("ho-chi-minh-2025-binh-dang-gioi.txt","II.1.4"): (42,46,"1.4. Mục tiêu 4"),
 ("nghe-an-2025-bao-ve-bi-mat-nha-nuoc.txt","III.3"): (30,31,"3. Sở Khoa học và Công nghệ"),
 ("nghe-an-2025-bao-ve-bi-mat-nha-nuoc.txt","III.6"): (38,38,"6. Đề nghị Văn phòng Tỉnh ủy"),
 ("nghe-an-2025-bao-ve-bi-mat-nha-nuoc.txt","IV"): (39,43,"IV. TỔ CHỨC THỰC HIỆN"),
 ("nghe-an-2025-5g-iot-khu-cong-nghiep.txt","IV.5"): (67,73,"5. Các chủ đầu tư"),
 ("nghe-an-2025-5g-iot-khu-cong-nghiep.txt","IV.6"): (74,79,"6. Các doanh nghiệp thứ cấp"),
 ("ho-chi-minh-2025-quan-ly-rui-ro-thien-tai.txt","V.1"): (74,82,"1. Giao Sở Nông nghiệp và Môi trường"),
 ("ho-chi-minh-2025-quan-ly-rui-ro-thien-tai.txt","V.4"): (88,90,"4. Sở Khoa học và Công nghệ"),
 ("ho-chi-minh-2025-quan-ly-rui-ro-thien-tai.txt","preamble"): (1,29,"ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"),
 ("nghe-an-2025-thi-dua-dai-hoi-xiv.txt","III.1.d"): (37,40,"d) Đối với các doanh nghiệp"),
 ("can-tho-2025-giam-sat-giam-ngheo.txt","IV.2"): (68,79,"2. Các bước giám sát"),
 ("can-tho-2025-cong-tac-dan-so.txt","II.6"): (37,44,"6. Ủy ban nhân dân xã, phường"),
}
fold = lambda s: " ".join(s.casefold().split())
bad = 0; n = 0
cache = {}
for ln, raw in enumerate(open(os.path.join(os.path.dirname(__file__), "questions.jsonl"), encoding="utf-8"), 1):
    q = json.loads(raw); n += 1
    assert set(q) >= {"id","kind","question","answerable","key_facts","gold","note"}, q["id"]
    if not q["answerable"]:
        assert not q["key_facts"] and not q["gold"], q["id"]; continue
    assert q["key_facts"] and q["gold"], q["id"]
    for g in q["gold"]:
        key = (g["source"], g["section"])
        if key not in SPANS:
            print(q["id"], "no span for", key); bad += 1; continue
        a, b, head = SPANS[key]
        if g["source"] not in cache:
            cache[g["source"]] = open(os.path.join(PLANS, g["source"]), encoding="utf-8").read().split("\n")
        lines = cache[g["source"]]
        if not lines[a-1].startswith(head):
            print(q["id"], key, "heading mismatch at l.%d: %r" % (a, lines[a-1][:60])); bad += 1
        text = fold(" ".join(lines[a-1:b]))
        for alts in q["key_facts"]:
            if not any(fold(x) in text for x in alts):
                print(q["id"], key, "missing", alts); bad += 1
print("%d questions checked, %d problems" % (n, bad))
sys.exit(1 if bad else 0)
