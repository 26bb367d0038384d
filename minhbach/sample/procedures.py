"""The procedure catalogue: codes, names, fields, owners, statutory days, online level, volume.

Procedure codes are real national codes where we know them (e.g. 1.001193 khai sinh, 1.000894
kết hôn, 2.000815 chứng thực bản sao, the 2024 land-law codes 1.0127xx/1.013831); the others are
written in the real format but are not checked against the national database. ``--scale large``
adds variants of these up to 1,800 procedures, most of them rare.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .units import COMMUNE_DATE, DEPARTMENTS_LARGE, MERGE_DATE, MERGERS, STRUCT_SEED

# The procedure catalogue. One record per procedure: a line
#   code | owner | statutory working days | online level | fee, fee payable on the national
#   portal, result is a document (3 digits 1/0) | relative volume | applicant | lateness factor |
#   supplementation factor | field (lĩnh vực)
# then its name on the following indented lines. owner: a department key, PROV (the province's
# People's Committee), DIST (district level; the communes from 1/7/2025), COMM (commune level).
# online level: 4 full (toàn trình), 3 partial (một phần), 2 none. applicant: c citizen,
# b business, m mixed, s state agency, o other organisation. Statutory days 0.5 = "trong ngày":
# due the same day when received before 15:00, else the next working day.
PROCEDURE_TABLE = """
# commune level (cấp xã)
1.001193 | COMM | 1 | 4 | 001 | 60 | c | 0.3 | 0.3 | Hộ tịch
    Đăng ký khai sinh
1.000894 | COMM | 1 | 4 | 001 | 20 | c | 0.3 | 0.3 | Hộ tịch
    Đăng ký kết hôn
1.000656 | COMM | 1 | 4 | 001 | 25 | c | 0.3 | 0.2 | Hộ tịch
    Đăng ký khai tử
1.000689 | COMM | 3 | 3 | 111 | 3 | c | 0.6 | 1 | Hộ tịch
    Đăng ký khai sinh kết hợp nhận cha, mẹ, con
1.004873 | COMM | 3 | 4 | 111 | 35 | c | 0.4 | 0.4 | Hộ tịch
    Cấp Giấy xác nhận tình trạng hôn nhân
2.000635 | COMM | 1 | 4 | 111 | 30 | c | 0.3 | 0.1 | Hộ tịch
    Cấp bản sao Trích lục hộ tịch
1.004884 | COMM | 5 | 3 | 101 | 3 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký lại khai sinh
1.005461 | COMM | 5 | 3 | 101 | 1 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký lại khai tử
1.004746 | COMM | 5 | 3 | 101 | 1 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký lại kết hôn
1.004859 | COMM | 3 | 3 | 101 | 2 | c | 0.7 | 1.2 | Hộ tịch
    Đăng ký nhận cha, mẹ, con
1.004827 | COMM | 3 | 3 | 101 | 4 | c | 0.8 | 1.5 | Hộ tịch
    Thay đổi, cải chính, bổ sung thông tin hộ tịch
2.000815 | COMM | 0.5 | 3 | 111 | 120 | m | 0.2 | 0.05 | Chứng thực
    Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của
    Việt Nam cấp hoặc chứng nhận
2.000884 | COMM | 0.5 | 2 | 101 | 25 | c | 0.2 | 0.05 | Chứng thực
    Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm
    chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)
2.001035 | COMM | 2 | 2 | 101 | 15 | c | 0.5 | 0.6 | Chứng thực
    Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà
    ở
2.000942 | COMM | 2 | 2 | 101 | 2 | c | 0.4 | 0.2 | Chứng thực
    Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực
1.010028 | COMM | 1 | 4 | 000 | 20 | c | 0.3 | 0.1 | Đăng ký, quản lý cư trú
    Xác nhận thông tin về cư trú
1.011607 | COMM | 15 | 2 | 001 | 1 | c | 1 | 1 | Bảo trợ xã hội
    Công nhận hộ nghèo, hộ cận nghèo thường xuyên hằng năm
1.001699 | COMM | 25 | 3 | 001 | 3 | c | 1.2 | 1.5 | Bảo trợ xã hội
    Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật
1.001653 | COMM | 5 | 3 | 001 | 1 | c | 0.8 | 0.8 | Bảo trợ xã hội
    Đổi, cấp lại Giấy xác nhận khuyết tật
1.012812 | COMM | 30 | 2 | 000 | 2 | c | 1.8 | 1.5 | Đất đai
    Hòa giải tranh chấp đất đai
# district level (cấp huyện; communes from 1/7/2025)
2.000528 | DIST | 3 | 3 | 111 | 0.8 | c | 0.8 | 1.5 | Hộ tịch
    Đăng ký khai sinh có yếu tố nước ngoài
2.000806 | DIST | 15 | 3 | 111 | 0.8 | c | 0.8 | 1.8 | Hộ tịch
    Đăng ký kết hôn có yếu tố nước ngoài
1.001612 | DIST | 3 | 4 | 111 | 20 | b | 0.6 | 1.2 | Thành lập và hoạt động của hộ kinh doanh
    Đăng ký thành lập hộ kinh doanh
2.000720 | DIST | 3 | 4 | 111 | 8 | b | 0.6 | 1 | Thành lập và hoạt động của hộ kinh doanh
    Đăng ký thay đổi nội dung đăng ký hộ kinh doanh
1.001570 | DIST | 3 | 4 | 000 | 2 | b | 0.4 | 0.3 | Thành lập và hoạt động của hộ kinh doanh
    Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh
1.001266 | DIST | 3 | 4 | 001 | 2 | b | 0.4 | 0.3 | Thành lập và hoạt động của hộ kinh doanh
    Chấm dứt hoạt động hộ kinh doanh
2.000575 | DIST | 3 | 4 | 111 | 0.8 | b | 0.5 | 0.5 | Thành lập và hoạt động của hộ kinh doanh
    Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh
1.013225 | DIST | 15 | 3 | 111 | 15 | c | 1.6 | 2.5 | Hoạt động xây dựng
    Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ
1.013227 | DIST | 5 | 3 | 101 | 0.8 | c | 1 | 1 | Hoạt động xây dựng
    Gia hạn giấy phép xây dựng
1.001776 | DIST | 22 | 3 | 001 | 4 | c | 1 | 1.2 | Bảo trợ xã hội
    Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc,
    nuôi dưỡng hằng tháng
1.001731 | DIST | 5 | 3 | 001 | 2 | c | 0.8 | 0.8 | Bảo trợ xã hội
    Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội
1.012790 | DIST | 15 | 3 | 101 | 10 | c | 1.7 | 2.5 | Đất đai
    Chuyển mục đích sử dụng đất đối với hộ gia đình, cá nhân
3.000182 | DIST | 15 | 4 | 001 | 6 | c | 0.3 | 0.3 | Giáo dục và Đào tạo
    Tuyển sinh trung học cơ sở
# the province (UBND tỉnh)
2.002143 | PROV | 45 | 2 | 001 | 0.4 | c | 2.5 | 1.5 | Giải quyết khiếu nại
    Giải quyết khiếu nại lần hai tại cấp tỉnh
2.002163 | PROV | 30 | 2 | 001 | 0.2 | c | 2 | 1 | Giải quyết tố cáo
    Giải quyết tố cáo tại cấp tỉnh
# departments
2.000505 | TP | 10 | 4 | 111 | 30 | c | 0.6 | 0.3 | Lý lịch tư pháp
    Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam
2.000508 | TP | 10 | 4 | 001 | 2 | s | 0.6 | 0.3 | Lý lịch tư pháp
    Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan nhà nước, tổ chức chính trị, tổ chức
    chính trị - xã hội
2.001610 | KHDT | 3 | 4 | 111 | 3 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập doanh nghiệp tư nhân
2.002036 | KHDT | 3 | 4 | 111 | 8 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên
2.002037 | KHDT | 3 | 4 | 111 | 3 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên
2.002038 | KHDT | 3 | 4 | 111 | 2 | b | 0.4 | 1.5 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thành lập công ty cổ phần
2.002042 | KHDT | 3 | 4 | 111 | 5 | b | 0.4 | 1.2 | Thành lập và hoạt động của doanh nghiệp
    Đăng ký thay đổi người đại diện theo pháp luật của công ty trách nhiệm hữu hạn, công ty cổ
    phần
2.002051 | KHDT | 3 | 4 | 001 | 6 | b | 0.3 | 1 | Thành lập và hoạt động của doanh nghiệp
    Thông báo thay đổi nội dung đăng ký doanh nghiệp
2.002058 | KHDT | 3 | 4 | 000 | 3 | b | 0.3 | 0.5 | Thành lập và hoạt động của doanh nghiệp
    Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo
2.002060 | KHDT | 5 | 4 | 001 | 1.5 | b | 0.5 | 1 | Thành lập và hoạt động của doanh nghiệp
    Giải thể doanh nghiệp
1.009645 | KHDT | 35 | 3 | 001 | 0.3 | b | 2 | 3 | Đầu tư tại Việt Nam
    Quyết định chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh
1.005427 | TC | 2 | 4 | 001 | 2 | s | 0.3 | 0.5 | Tin học - Thống kê
    Cấp mã số đơn vị có quan hệ với ngân sách
1.005435 | TC | 30 | 2 | 001 | 1 | s | 1.5 | 2 | Quản lý vốn đầu tư
    Thẩm tra, phê duyệt quyết toán vốn đầu tư dự án hoàn thành
1.009974 | XD | 20 | 3 | 101 | 2 | b | 1.8 | 3 | Hoạt động xây dựng
    Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II
1.009982 | XD | 30 | 3 | 101 | 1.5 | b | 1.5 | 2.5 | Hoạt động xây dựng
    Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng/điều chỉnh Báo cáo nghiên cứu khả thi
    đầu tư xây dựng
1.009983 | XD | 30 | 3 | 101 | 1.5 | b | 1.5 | 2.5 | Hoạt động xây dựng
    Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở/điều chỉnh thiết kế xây dựng
    triển khai sau thiết kế cơ sở
1.009990 | XD | 20 | 4 | 111 | 3 | c | 0.8 | 1 | Hoạt động xây dựng
    Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III
1.009992 | XD | 20 | 4 | 111 | 1.5 | b | 0.8 | 1.2 | Hoạt động xây dựng
    Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III
1.002809 | GTVT | 5 | 4 | 111 | 40 | c | 0.4 | 0.2 | Đường bộ
    Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp
1.002835 | GTVT | 10 | 3 | 111 | 5 | c | 0.6 | 0.5 | Đường bộ
    Cấp lại Giấy phép lái xe
1.002859 | GTVT | 5 | 4 | 001 | 2 | b | 0.6 | 1 | Đường bộ
    Cấp Giấy phép kinh doanh vận tải bằng xe ô tô
1.002861 | GTVT | 2 | 4 | 001 | 10 | b | 0.4 | 0.4 | Đường bộ
    Cấp phù hiệu xe ô tô kinh doanh vận tải
1.001045 | GTVT | 2 | 4 | 001 | 1.5 | b | 0.5 | 0.5 | Đường bộ
    Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn, xe bánh xích, xe vận chuyển
    hàng siêu trường, siêu trọng trên đường bộ
1.001037 | GTVT | 7 | 3 | 001 | 1 | b | 1 | 1.5 | Đường bộ
    Cấp phép thi công công trình trên đường bộ đang khai thác
1.012753 | TNMT | 20 | 3 | 101 | 15 | c | 1.6 | 3 | Đất đai
    Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở
    hữu tài sản gắn liền với đất lần đầu
1.013831 | TNMT | 10 | 3 | 111 | 35 | c | 1.5 | 2.5 | Đất đai
    Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các
    trường hợp chuyển đổi, chuyển nhượng, cho thuê, thừa kế, tặng cho, góp vốn
1.012783 | TNMT | 7 | 3 | 101 | 8 | c | 1.4 | 2 | Đất đai
    Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất
1.012784 | TNMT | 15 | 3 | 101 | 8 | c | 1.5 | 2.5 | Đất đai
    Tách thửa hoặc hợp thửa đất
1.012786 | TNMT | 10 | 3 | 101 | 1 | c | 1.5 | 1.5 | Đất đai
    Cấp lại Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do bị mất
1.011441 | TNMT | 1 | 4 | 111 | 30 | m | 0.4 | 0.2 | Đăng ký biện pháp bảo đảm
    Đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất
1.011443 | TNMT | 1 | 4 | 001 | 20 | m | 0.4 | 0.1 | Đăng ký biện pháp bảo đảm
    Xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất
1.012789 | TNMT | 2 | 4 | 110 | 5 | m | 0.6 | 0.2 | Đất đai
    Cung cấp thông tin, dữ liệu đất đai
1.010727 | TNMT | 30 | 3 | 101 | 0.8 | b | 1.5 | 3 | Môi trường
    Cấp giấy phép môi trường (cấp tỉnh)
1.003232 | NNPTNT | 15 | 3 | 101 | 2 | b | 0.8 | 1.2 | Quản lý chất lượng nông lâm sản và thủy sản
    Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản
1.003619 | NNPTNT | 1 | 4 | 111 | 8 | m | 0.3 | 0.1 | Thú y
    Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp
    tỉnh
1.004363 | NNPTNT | 15 | 3 | 101 | 1 | b | 0.8 | 1.2 | Bảo vệ thực vật
    Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật
1.008004 | NNPTNT | 15 | 3 | 101 | 0.6 | b | 0.8 | 1.2 | Trồng trọt
    Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón
1.004359 | NNPTNT | 6 | 3 | 101 | 1.5 | c | 0.6 | 0.8 | Thủy sản
    Cấp giấy phép khai thác thủy sản
1.004692 | NNPTNT | 3 | 3 | 101 | 1 | c | 0.6 | 0.8 | Thủy sản
    Cấp Giấy chứng nhận đăng ký tàu cá
1.000047 | NNPTNT | 3 | 3 | 001 | 1 | m | 0.5 | 0.5 | Lâm nghiệp
    Xác nhận bảng kê lâm sản
1.009811 | LDTBXH | 5 | 4 | 111 | 2 | b | 0.6 | 1.2 | Việc làm
    Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
1.009813 | LDTBXH | 5 | 4 | 111 | 0.8 | b | 0.6 | 1 | Việc làm
    Gia hạn giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam
1.009814 | LDTBXH | 5 | 4 | 001 | 0.8 | b | 0.5 | 0.8 | Việc làm
    Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động
2.001955 | LDTBXH | 7 | 4 | 001 | 1.5 | b | 0.5 | 0.8 | Lao động
    Đăng ký nội quy lao động
1.001978 | LDTBXH | 20 | 4 | 001 | 15 | c | 0.6 | 0.5 | Việc làm
    Giải quyết hưởng trợ cấp thất nghiệp
1.010810 | LDTBXH | 12 | 3 | 001 | 1.5 | c | 1 | 1 | Người có công
    Giải quyết chế độ trợ cấp thờ cúng liệt sĩ
1.000775 | NV | 20 | 3 | 001 | 3 | s | 0.8 | 0.8 | Thi đua - khen thưởng
    Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh
1.000843 | NV | 20 | 3 | 001 | 1 | s | 0.8 | 0.8 | Thi đua - khen thưởng
    Tặng danh hiệu Chiến sĩ thi đua cấp tỉnh
1.001078 | NV | 10 | 2 | 000 | 0.3 | o | 0.5 | 0.5 | Tôn giáo Chính phủ
    Thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo, tổ chức tôn giáo trực thuộc
    có địa bàn hoạt động ở một tỉnh
1.004616 | YT | 20 | 3 | 111 | 2 | c | 1 | 1.5 | Dược phẩm
    Cấp Chứng chỉ hành nghề dược
1.004614 | YT | 20 | 3 | 101 | 2 | b | 1.5 | 2 | Dược phẩm
    Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược cho cơ sở bán lẻ thuốc
1.012268 | YT | 30 | 3 | 101 | 2 | c | 1.2 | 1.5 | Khám bệnh, chữa bệnh
    Cấp giấy phép hành nghề khám bệnh, chữa bệnh
2.001229 | YT | 15 | 3 | 101 | 1.5 | b | 1 | 1.5 | An toàn thực phẩm
    Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm
1.003020 | YT | 7 | 4 | 111 | 1.5 | b | 0.8 | 1 | An toàn thực phẩm
    Đăng ký bản công bố sản phẩm nhập khẩu, sản xuất trong nước
1.005092 | GDDT | 1 | 4 | 111 | 4 | c | 0.3 | 0.2 | Văn bằng, chứng chỉ
    Cấp bản sao văn bằng, chứng chỉ từ sổ gốc
1.005142 | GDDT | 15 | 4 | 001 | 2 | c | 0.4 | 0.1 | Thi, tuyển sinh
    Phúc khảo bài thi tốt nghiệp trung học phổ thông
2.001283 | CT | 15 | 3 | 101 | 0.6 | b | 0.8 | 1.2 | Kinh doanh khí và xăng dầu
    Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu
2.000591 | CT | 5 | 4 | 001 | 0.6 | b | 0.4 | 0.5 | Hóa chất
    Cấp Giấy xác nhận khai báo hóa chất
2.000002 | CT | 5 | 4 | 001 | 6 | b | 0.3 | 0.3 | Xúc tiến thương mại
    Đăng ký thực hiện khuyến mại
1.001432 | VHTTDL | 10 | 4 | 111 | 0.5 | c | 0.5 | 0.8 | Du lịch
    Cấp thẻ hướng dẫn viên du lịch
1.009397 | VHTTDL | 5 | 4 | 000 | 1 | o | 0.3 | 0.3 | Nghệ thuật biểu diễn
    Tiếp nhận thông báo tổ chức biểu diễn nghệ thuật
1.003725 | TTTT | 15 | 4 | 001 | 1.2 | o | 0.3 | 0.5 | Báo chí
    Cấp giấy phép xuất bản bản tin
1.004091 | TTTT | 5 | 4 | 001 | 1.2 | b | 0.3 | 0.5 | Xuất bản, In và Phát hành
    Đăng ký hoạt động cơ sở in
1.001225 | KHCN | 5 | 4 | 001 | 0.5 | b | 0.3 | 0.5 | Tiêu chuẩn đo lường chất lượng
    Đăng ký công bố hợp chuẩn dựa trên kết quả chứng nhận hợp chuẩn của tổ chức chứng nhận
1.003866 | KHCN | 15 | 4 | 111 | 0.3 | b | 0.5 | 1 | An toàn bức xạ và hạt nhân
    Cấp giấy phép tiến hành công việc bức xạ - Sử dụng thiết bị X-quang chẩn đoán trong y tế
1.009764 | BQLKCN | 10 | 3 | 001 | 0.8 | b | 0.6 | 1.2 | Đầu tư tại Việt Nam
    Điều chỉnh Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp
1.009780 | BQLKCN | 20 | 3 | 101 | 1.2 | b | 0.8 | 1.5 | Hoạt động xây dựng
    Cấp giấy phép xây dựng đối với công trình trong khu công nghiệp
2.002181 | BDT | 15 | 2 | 001 | 0.3 | s | 0.8 | 1 | Công tác dân tộc
    Xét công nhận, đưa ra khỏi danh sách người có uy tín trong đồng bào dân tộc thiểu số
2.002184 | BDT | 10 | 3 | 001 | 0.5 | c | 0.8 | 1 | Công tác dân tộc
    Hỗ trợ học sinh, sinh viên người dân tộc thiểu số học tại các cơ sở giáo dục
1.009410 | CA | 2 | 4 | 111 | 25 | m | 0.3 | 0.2 | Đăng ký, quản lý phương tiện giao thông
    Đăng ký xe, cấp biển số xe lần đầu
2.002162 | CA | 8 | 4 | 111 | 15 | c | 0.3 | 0.2 | Xuất nhập cảnh
    Cấp hộ chiếu phổ thông ở trong nước tại Công an cấp tỉnh
1.004241 | CA | 10 | 3 | 101 | 1.5 | b | 1.3 | 2 | Phòng cháy, chữa cháy
    Thẩm định thiết kế về phòng cháy và chữa cháy
1.004235 | CA | 7 | 3 | 001 | 1 | b | 1 | 1.5 | Phòng cháy, chữa cháy
    Nghiệm thu về phòng cháy và chữa cháy
"""


class Procedure(NamedTuple):
    code: str
    name: str
    field: str
    owner: str  # a department key, PROV, DIST or COMM
    days: float  # statutory working days (0.5: the same day)
    level: int  # online level: 4 full, 3 partial, 2 none
    fee: int
    pay: int  # the fee can be paid on the national portal
    doc: int  # the result is a document
    weight: float  # relative volume
    app: str  # applicant: c citizen, b business, m mixed, s state agency, o other organisation
    late_f: float  # lateness factor
    supp_f: float  # supplementation factor


def parse_procedures(text: str) -> list[Procedure]:
    records: list[list] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            rec = records[-1]
            rec[1] = f"{rec[1]} {line.strip()}".strip()
            continue
        code, owner, days, level, flags, weight, app, late_f, supp_f, fld = (
            x.strip() for x in line.split("|")
        )
        records.append(
            [code, "", fld, owner, float(days), int(level), int(flags[0]), int(flags[1]),
             int(flags[2]), float(weight), app, float(late_f), float(supp_f)]
        )  # fmt: skip
    return [Procedure(*r) for r in records]


PROCEDURES = parse_procedures(PROCEDURE_TABLE)
# Procedures whose handling unit changed on a date, besides the department mergers:
# driving licences went from the transport department to the police on 1/3/2025, judicial
# record certificates from the justice department to the police on 1/7/2025, religious affairs
# from the home-affairs department to the new ethnic and religious affairs department.
OWNER_CHANGES = {
    "1.002809": ((MERGE_DATE, "CA"),),
    "1.002835": ((MERGE_DATE, "CA"),),
    "2.000505": ((COMMUNE_DATE, "CA"),),
    "2.000508": ((COMMUNE_DATE, "CA"),),
    "1.001078": ((MERGE_DATE, "DTTG"),),
}
# Seasonal procedures: month -> volume factor.
SEASONS = {
    "3.000182": {5: 2.0, 6: 6.0, 7: 8.0, 8: 3.0},
    "1.005142": {7: 15.0, 8: 4.0},
    "1.011607": {10: 3.0, 11: 5.0, 12: 4.0},
    "1.000894": {1: 1.6, 2: 1.3, 11: 1.4, 12: 1.7},
    "1.011441": {12: 1.3},
}
# --scale large: variants of the procedures above, up to this many procedures in all
_LARGE_PROCEDURES = 1800
_VARIANTS = (
    "cấp lại",
    "điều chỉnh",
    "gia hạn",
    "trường hợp bị mất, bị hỏng",
    "liên thông",
    "đối với tổ chức",
    "đối với cá nhân",
    "theo thủ tục rút gọn",
    "có yếu tố nước ngoài",
    "trường hợp thay đổi thông tin",
    "lần đầu",
    "trường hợp đặc biệt",
)


@dataclass
class Procs:
    """The catalogue as columns, one entry per procedure."""

    codes: list[str]
    names: list[str]
    fields: list[str]
    owners: list[str]
    days: np.ndarray
    level: np.ndarray
    fee: np.ndarray
    pay: np.ndarray
    doc: np.ndarray
    weight: np.ndarray
    app: list[str]
    late_f: np.ndarray
    supp_f: np.ndarray


def build_procedures(scale: str) -> Procs:
    rows = list(PROCEDURES)
    if scale == "large":
        rows += _variants(PROCEDURES)
    return Procs(
        codes=[r.code for r in rows],
        names=[r.name for r in rows],
        fields=[r.field for r in rows],
        owners=[r.owner for r in rows],
        days=np.array([r.days for r in rows], dtype=float),
        level=np.array([r.level for r in rows], dtype=np.int64),
        fee=np.array([r.fee for r in rows], dtype=bool),
        pay=np.array([r.pay for r in rows], dtype=bool),
        doc=np.array([r.doc for r in rows], dtype=bool),
        weight=np.array([r.weight for r in rows], dtype=float),
        app=[r.app for r in rows],
        late_f=np.array([r.late_f for r in rows], dtype=float),
        supp_f=np.array([r.supp_f for r in rows], dtype=float),
    )


def procedure_columns(p: Procs) -> list[list[str]]:
    """The procedures table (PROCEDURE_COLUMNS)."""
    return [
        p.codes,
        p.names,
        p.fields,
        [str(v) for v in p.level],
        [f"{d:g}" for d in p.days],
        [str(int(v)) for v in p.fee],
        [str(int(v)) for v in p.pay],
        [str(int(v)) for v in p.doc],
    ]


def _variants(base: list[Procedure]) -> list[Procedure]:
    """Variants of the base procedures (e.g. "... (cấp lại)"), up to the large catalogue's size."""
    rng = np.random.default_rng([STRUCT_SEED, 2])
    bw = np.array([p.weight for p in base], dtype=float)
    used: dict[tuple[int, int], int] = {}
    extra_owners = [d[0] for d in DEPARTMENTS_LARGE if d[0] not in MERGERS]
    rows = []
    for i in range(_LARGE_PROCEDURES - len(base)):
        b = int(rng.choice(len(base), p=np.sqrt(bw) / np.sqrt(bw).sum()))
        v = int(rng.integers(0, len(_VARIANTS)))
        n = used.get((b, v), 0) + 1
        used[(b, v)] = n
        suffix = _VARIANTS[v] if n == 1 else f"{_VARIANTS[v]} - {n}"
        row = base[b]._replace(
            code=f"{1 + i % 3}.{900001 + i:06d}",
            name=f"{base[b].name} ({suffix})",
            # The long tail is rare: in a real province most of the volume falls on a hundred
            # or so procedures and many others see a handful of dossiers a year, or none.
            weight=base[b].weight * float(rng.uniform(0.0005, 0.02)),
        )
        if row.owner not in ("COMM", "DIST", "PROV") and rng.random() < 0.06:
            row = row._replace(owner=extra_owners[int(rng.integers(0, len(extra_owners)))])
        rows.append(row)
    return rows
