"""Write seed_corpus.csv: the hand-written comments the default model is trained on.

Every sentence below was written for this project, imagined on the comment pages of a
Vietnamese provincial newspaper (and some English). Templates multiply them with the tricks
spammers and trolls use (no diacritics, teencode, split letters, look-alike letters,
zero-width characters, repeated letters, odd phone numbers, spaced domains). The output is
deterministic: ``python -m workers.engine.data.build_seed_corpus`` rewrites the same file.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "seed_corpus.csv"

# ----- ham: ordinary, civil comments (criticism included) ---------------------------------
HAM_VI = """\
Đoạn đường qua xã Hòa Phong ngập sâu mỗi lần mưa lớn, mong huyện sớm nâng cấp cống thoát nước.
Cảm ơn phóng viên đã phản ánh kịp thời, bà con ở đây chờ cây cầu này mấy năm rồi.
Giá rau ở chợ trung tâm tăng gần gấp đôi sau bão, người lao động khổ lắm.
Bệnh viện tỉnh giờ phục vụ tốt hơn trước nhiều, bác sĩ khoa nhi rất tận tình.
Trường tiểu học ở thôn tôi vẫn còn phòng học tạm, mong tỉnh quan tâm đầu tư.
Lãnh đạo huyện phải chịu trách nhiệm về việc để dự án chậm tiến độ suốt ba năm.
Quá tệ, làm ăn tắc trách, mới khánh thành nửa năm mà mặt đường đã nứt toác.
Đề nghị thanh tra làm rõ sai phạm, không thể để tiền ngân sách thất thoát như vậy.
Chúc mừng đội bóng của tỉnh đã trụ hạng thành công, mùa sau cố gắng hơn nhé.
Trận tối qua hàng thủ chơi quá tệ, huấn luyện viên cần thay đổi đội hình.
Xin hỏi lịch cắt điện khu vực phường 3 tuần sau có thay đổi không ạ?
Nhà tôi ở ngay khu sạt lở, đêm nào mưa cũng không dám ngủ, mong chính quyền hỗ trợ di dời.
Cán bộ phường làm việc vô trách nhiệm, hồ sơ nộp cả tháng chưa có kết quả.
Bài viết rất hay, cảm ơn tòa soạn đã thông tin đầy đủ về chính sách hỗ trợ nông dân.
Học phí tăng mà cơ sở vật chất vẫn xuống cấp, phụ huynh rất bức xúc.
Tôi đề nghị xử lý nghiêm tài xế xe tải chạy quá tốc độ qua khu dân cư.
Ủng hộ chủ trương dẹp vỉa hè nhưng cần có chỗ buôn bán cho bà con nghèo.
Giá xăng lại tăng, chi phí vận chuyển nông sản đội lên, nông dân lỗ nặng.
Năm nay lúa được mùa nhưng mất giá, thương lái ép giá quá.
Ông Nguyễn Văn Nguyên nói đúng, cần công khai danh sách hộ nghèo để dân giám sát.
Các cháu học sinh được hỗ trợ sách vở là rất ý nghĩa, cảm ơn các nhà hảo tâm.
Sở Giao thông cần xem lại việc cấp phép cho các xe quá tải chạy trên tỉnh lộ.
Chính quyền xã quá chậm chạp trong việc khắc phục hậu quả lũ, dân phải tự dọn dẹp.
Thành phố nên trồng thêm cây xanh, mùa hè nóng không chịu nổi.
Tôi đã tiêm mũi nhắc lại ở trạm y tế phường, nhân viên hướng dẫn rất chu đáo.
Đội tuyển chơi quá hay, tự hào bóng đá Việt Nam!
Trường THPT chuyên năm nay đỗ đại học cao, chúc mừng thầy cô và các em.
Bao giờ thì tuyến xe buýt về huyện được mở lại vậy ban biên tập?
Chỗ ngã tư này tai nạn liên tục, đề nghị lắp đèn tín hiệu giao thông.
Lãnh đạo sở cần từ chức nếu không giải quyết được tình trạng ô nhiễm này.
Người dân bị thu hồi đất mà đền bù quá thấp, như vậy là không công bằng.
Chất lượng nước máy mấy hôm nay đục ngầu, công ty cấp nước cần giải thích.
Cảnh sát giao thông làm việc rất tích cực dịp Tết, cảm ơn các anh.
Giá thịt heo giảm mà ngoài chợ vẫn bán giá cũ, cần kiểm tra lại.
Đồng ý với ý kiến trên, dự án treo mười năm làm khổ bao nhiêu hộ dân.
Tôi là giáo viên vùng cao, lương thấp nhưng vẫn yêu nghề, mong được quan tâm hơn.
Phải kỷ luật nghiêm những cán bộ nhận tiền của dân, không thể dung túng.
Mưa lũ năm nay lớn quá, xin chia buồn với các gia đình có người bị nạn.
Bệnh viện huyện quá tải, bệnh nhân nằm ghép ba người một giường, thật đáng buồn.
Ai biết chỗ nào nhận hỗ trợ hàng cứu trợ cho bà con vùng lũ không ạ?
Thông tin hữu ích, tôi sẽ chia sẻ cho bà con trong xóm cùng biết.
Đây là hậu quả của việc quy hoạch thiếu tầm nhìn, lãnh đạo thời đó phải bị xem xét trách nhiệm.
Dự án nghìn tỷ mà chất lượng như thế này thì quá lãng phí tiền thuế của dân.
Mong tỉnh sớm có chính sách thu hút đầu tư để con em địa phương có việc làm.
Xe rác đi lúc sáu giờ chiều, mùi hôi khắp phố, đề nghị đổi giờ thu gom.
Cầu tạm qua sông yếu lắm rồi, học sinh đi học hằng ngày rất nguy hiểm.
Tôi thấy phóng viên viết chưa khách quan, nên hỏi thêm ý kiến của người dân.
Bài báo này đưa tin sai, con số thiệt hại thực tế lớn hơn nhiều.
Chủ tịch xã trả lời như vậy là thiếu trách nhiệm với dân.
Trận chung kết năm nay kịch tính quá, xem mà thót tim.
Năm nay thi tốt nghiệp đề toán hơi khó, các em cố lên nhé.
Nên mở thêm lớp học bơi miễn phí cho trẻ em vùng sông nước.
Chợ quê giờ toàn hàng Trung Quốc, hàng địa phương không cạnh tranh nổi.
Quản lý thị trường làm gì mà để hàng giả bày bán công khai như thế?
Ủng hộ bác sĩ, nghề y vất vả mà lương không tương xứng.
Đường lên thác đẹp nhưng xuống cấp quá, khách du lịch ngại đến.
Tiền điện tháng này tăng vọt dù dùng như mọi tháng, điện lực xem lại giúp.
Hội đồng nhân dân tỉnh cần chất vấn thẳng vấn đề này tại kỳ họp tới.
Thương các cụ già neo đơn trong mùa lạnh, mong có thêm chương trình hỗ trợ.
Nông dân trồng thanh long đang lao đao, tỉnh cần tìm đầu ra.
Sao bài này không nói đến trách nhiệm của chủ đầu tư vậy?
Tôi ở gần đó, xác nhận là nước ngập đến đầu gối từ tối qua.
Mấy năm nay đường sá trong huyện khang trang hơn hẳn, cảm ơn chính quyền.
Cần phạt thật nặng những người xả rác xuống sông.
Bảo hiểm y tế mà khám ở tuyến huyện vẫn phải chờ cả buổi, cải cách kiểu gì vậy.
Con tôi học lớp 1 mà bài tập về nhà nhiều quá, phụ huynh cũng mệt.
Đề nghị ban biên tập theo dõi tiếp vụ việc này và thông tin cho bạn đọc.
Hôm qua đi ngang qua thấy công trình vẫn bỏ hoang, cỏ mọc um tùm.
Cảm ơn các chiến sĩ biên phòng đã giúp dân chạy lũ.
Câu lạc bộ nên đầu tư vào cầu thủ trẻ thay vì mua ngoại binh đắt tiền.
Tỷ số 2-1 là xứng đáng, đội khách chơi tốt hơn hẳn hiệp hai.
Nhà cái gì mà cái nhà văn hóa thôn xây xong bỏ không, lãng phí thật.
Hàng xóm tôi bị lừa qua điện thoại mất hết tiền tiết kiệm, mọi người cảnh giác nhé.
Cảnh báo bà con: có người gọi điện tự xưng công an yêu cầu chuyển tiền, đừng tin.
Mong báo làm rõ ai đứng sau các nhóm cho vay nặng lãi ở chợ huyện.
Bài viết về nạn cá độ bóng đá trong học sinh rất đáng suy ngẫm, phụ huynh cần để ý con.
Tín dụng đen đang hoành hành ở nông thôn, công an cần vào cuộc mạnh hơn.
Vụ làm bằng giả ở trường cao đẳng phải được điều tra đến nơi đến chốn.
Tôi không đồng ý với quan điểm của tác giả, nhưng bài viết có nhiều số liệu đáng tham khảo.
Chính sách này nghe hay nhưng triển khai ở cơ sở thì chẳng đến đâu.
Thật xấu hổ khi một công trình trọng điểm lại để xảy ra sai sót như vậy.
Giá vàng hôm nay lên cao quá, ai có vàng thì vui, ai cần mua thì buồn.
Lãi suất ngân hàng giảm, gửi tiết kiệm giờ không còn hấp dẫn.
Xin cho hỏi thủ tục cấp lại căn cước làm ở đâu ạ?
Mùa này đi biển Quy Nhơn đẹp lắm, ai chưa đi thì nên đi một lần.
Ngày xưa con đường này toàn ổ gà, giờ đẹp quá.
Mình thấy việc cấm xe máy vào trung tâm là chưa phù hợp với thực tế.
Cả xã mất điện từ sáng đến giờ, chưa thấy ai thông báo gì.
Trách nhiệm thuộc về ai khi học sinh bị ngộ độc thực phẩm ở bếp ăn bán trú?
Điểm chuẩn năm nay tăng cao, nhiều em giỏi vẫn trượt nguyện vọng một.
Các bạn trẻ tình nguyện viên mùa hè xanh thật đáng quý.
Rất mong tòa soạn đăng thêm bài về ô nhiễm ở khu công nghiệp phía bắc.
Cán bộ thuế đến tận nhà hướng dẫn, thái độ rất nhã nhặn.
Tôi ủng hộ việc sáp nhập xã nhưng cần tính đến khoảng cách đi lại của dân.
Mấy quán nhậu hát karaoke đến nửa đêm, công an phường không xử lý gì.
Thủ tục hành chính một cửa giờ nhanh hơn trước, chỉ mất hai ngày.
Ý thức người tham gia giao thông kém quá, vượt đèn đỏ như cơm bữa.
Giáo viên hợp đồng bị nợ lương ba tháng, ai chịu trách nhiệm đây?
Ăn Tết xong giá cả vẫn chưa hạ nhiệt, đồng lương không theo kịp.
Đội nhà thua vì trọng tài thiên vị quá rõ ràng, VFF cần xem lại.
Chỉ mong con đường về quê được trải nhựa trước mùa mưa.
Ở quê tôi nhiều người đi xuất khẩu lao động vì không có việc làm.
Thời tiết thất thường quá, vừa nắng gắt xong đã mưa đá.
Ai có số đường dây nóng của sở y tế không, tôi muốn phản ánh việc thu thêm tiền.
Mình ở tổ 5, nước sinh hoạt bị cắt mấy ngày liền không báo trước.
Nên có thêm bãi đỗ xe ở bệnh viện, người nhà bệnh nhân gửi xe rất khó.
Các vị đại biểu nói thì hay nhưng làm thì chẳng thấy đâu.
Phát biểu của ông giám đốc sở là ngụy biện, né tránh trách nhiệm.
Dân cần câu trả lời rõ ràng chứ không cần những lời hứa suông.
Tôi đã gửi đơn lên huyện ba lần mà không ai trả lời, thật thất vọng.
Cho hỏi năm nay trường có tuyển sinh lớp 10 hệ chất lượng cao không ạ?
Thương bà cụ bán vé số bị giật túi, mong công an sớm bắt kẻ gian.
Vụ cháy chợ thiệt hại lớn, mong tiểu thương sớm ổn định lại việc buôn bán.
Làm ăn kiểu này thì bao giờ mới phát triển nổi, toàn hình thức.
Quy trình đấu thầu có dấu hiệu khuất tất, đề nghị công an kinh tế vào cuộc.
Hoan nghênh tỉnh đã công khai tiến độ giải ngân vốn đầu tư công.
Bão số 3 gây thiệt hại nặng nề cho vùng ven biển, mong mọi người bình an.
Trẻ em nông thôn thiếu sân chơi, suốt ngày dán mắt vào điện thoại.
Đi khám ở bệnh viện tư nhanh hơn nhưng chi phí quá cao với người nghèo.
Thành tích của các em trong kỳ thi học sinh giỏi quốc gia thật đáng tự hào.
Mấy ông chủ đầu tư chỉ lo lợi nhuận, chẳng quan tâm đến môi trường.
Sáng nay kẹt xe kéo dài hai cây số ở cầu mới, ai đi làm thì né nhé.
Tôi thấy mức phạt nồng độ cồn hiện nay là hợp lý, giảm hẳn tai nạn.
Đề nghị công khai danh tính các đơn vị vi phạm để người tiêu dùng biết.
Bài viết thiếu ý kiến của phía doanh nghiệp, chưa đủ khách quan.
Chúc các sĩ tử bình tĩnh, tự tin làm bài thật tốt.
Nhà tôi nuôi tôm thất bát ba vụ liền vì nước ô nhiễm.
Khu tái định cư xây xong mà không ai chịu về ở vì thiếu trường học, chợ.
Cái này là lỗi của quy hoạch, không thể đổ hết cho người dân.
Ngân sách eo hẹp thì nên ưu tiên trường học và trạm y tế trước.
Xem bài này mà thấy buồn cho quê mình, ngày càng ô nhiễm.
Thầy hiệu trưởng trường làng tôi về hưu rồi, ai cũng quý thầy.
"""

HAM_VI_CASUAL = """\
bài viết hay quá ad ơi
đường này đi ko được luôn, ổ gà khắp nơi
mưa to quá, nhà mình ngập hết rồi
công nhận năm nay giá cả tăng ghê
đồng ý với bác ở trên
tội nghiệp mấy đứa nhỏ quá
ủa sao giờ này vẫn chưa sửa xong vậy
hay quá, tự hào quê mình
ai ở gần đó cho hỏi tình hình giờ sao rồi
xem xong mà thấy bực mình ghê
hóng kết quả điều tra
làm kiểu này thì thua là phải
trận này đá chán quá
mong mọi người ở vùng lũ bình an
thấy thương bà con quá
ko biết bao giờ mới xong cái cầu
dc cái này thì tốt quá
mấy ông trên huyện làm ăn chán thật
đọc mà muốn khóc
cảm ơn báo nhiều nha
haha đúng quá
thế thì chịu rồi
năm nào cũng hứa mà chẳng thấy làm
bài này đúng quá, chia sẻ cho mọi người cùng đọc
đề nghị tòa soạn theo dõi tiếp vụ này
chỗ này tối qua có tai nạn nữa đó
sao không ai xử lý vậy trời
mình cũng bị y chang luôn
tuyệt vời ông mặt trời
quá đỉnh, cố lên các cầu thủ
"""

HAM_EN = """\
Great article, thanks for covering the flood situation in the province.
The new bridge is a big improvement, my commute is twenty minutes shorter now.
The district leaders should be held accountable for the delays on this project.
This is a disgrace, the road was finished six months ago and it is already cracking.
I visited the provincial hospital last week and the staff were very helpful.
Food prices at the market have doubled since the storm, families are struggling.
Why does the article not mention who approved the contract?
Good win for the local team last night, the second half was excellent.
The referee made terrible decisions, the federation should review the match.
Does anyone know when the bus route to the district will reopen?
Thank you to the volunteers who helped clean up after the flood.
I disagree with the author, but the figures in the piece are useful.
The school still has temporary classrooms, the province needs to invest more.
Officials keep making promises and nothing changes for ordinary people.
Please publish a follow up on the pollution at the industrial park.
Teachers in rural areas deserve better pay, they do so much with so little.
The power was out in our ward for the whole afternoon with no notice.
Well written and balanced report, more of this please.
Traffic at the new roundabout is chaotic every morning, we need a traffic light.
Sad news about the fire at the market, I hope the vendors get support quickly.
Tourists love this beach but the rubbish on the sand is embarrassing.
The inspection should be made public so that residents can judge for themselves.
The new policy sounds fine on paper but it is poorly implemented.
My kids' school lunch prices went up again, this is getting hard.
Congratulations to the students who won medals at the national olympiad.
This project has wasted taxpayers' money for a decade, someone must resign.
Our village finally got clean water this year, thank you to everyone involved.
Be careful everyone, there are scam calls pretending to be the police.
The hospital car park is always full, visitors have nowhere to park.
I am from Quang Nam and the flooding this year is the worst I have seen.
lol the goalkeeper was asleep on the second goal
agree 100% with the comment above
Interesting read, I did not know the province exports so much coffee.
The mayor's answer in the interview was evasive and disappointing.
Check the schedule on the city website before you go, the office closes early on Saturdays.
The council should be ashamed of how slowly the relief money reached the villages.
Shameful handling of the landslide warnings, people were told to evacuate far too late.
These officials are incompetent and should step down, three years and the bridge is unfinished.
What a waste of money, the new market has been empty since it opened.
Terrible management at the water company, nobody answers the hotline.
Honestly the worst road work I have ever seen, who signed off on this?
The minister's excuses are ridiculous, just admit the mistake and fix it.
"""

# ----- spam: ads, scams, link drops --------------------------------------------------------
SPAM_VI = """\
Nhà cái uy tín số 1 châu Á, nạp lần đầu tặng 100%, rút tiền siêu tốc.
Cá độ bóng đá online tỷ lệ kèo cao nhất thị trường, đăng ký ngay hôm nay.
Soi kèo miễn phí mỗi ngày, tỷ lệ thắng 90%, vào nhóm Zalo để nhận kèo VIP.
Vay tiền nhanh chỉ cần căn cước, không thẩm định, giải ngân trong 15 phút.
Cho vay bốc bát họ, góp ngày, thủ tục đơn giản, không cần thế chấp.
Làm bằng đại học, cao đẳng, trung cấp có hồ sơ gốc, bao công chứng, bao tra cứu.
Nhận làm bằng lái xe A1 A2 B2 không cần thi, nhận bằng sau 7 ngày.
Tuyển cộng tác viên làm việc tại nhà, mỗi ngày kiếm 500k đến 2 triệu, không cần vốn.
Đầu tư tiền ảo lợi nhuận 30% mỗi tháng, cam kết hoàn vốn, nhắn tin để được tư vấn.
Kiếm tiền online dễ dàng chỉ với chiếc điện thoại, thu nhập 20 triệu mỗi tháng.
Bắn cá đổi thưởng, nổ hũ, tài xỉu uy tín, tặng code 50k cho thành viên mới.
Xổ số lô đề online tỷ lệ 1 ăn 99, trả thưởng nhanh nhất.
Hỗ trợ vay tiền nợ xấu vẫn duyệt, lãi suất thấp, liên hệ ngay.
Bán sim số đẹp giá rẻ, giao sim tận nơi toàn quốc.
Thuốc tăng cường sinh lý nam giới, hiệu quả sau 7 ngày, giao hàng kín đáo.
Gái xinh chat sex miễn phí, xem video nóng không che tại link bên dưới.
Phim người lớn cập nhật mỗi ngày, vào xem ngay không cần đăng ký.
Chuyên cung cấp tài khoản ngân hàng, sim rác, dịch vụ mở khóa tài khoản.
Dịch vụ tăng like, tăng follow, tăng mắt livestream giá rẻ nhất thị trường.
Mua bán nhà đất giá rẻ dự án sắp lên thành phố, đầu tư ngay kẻo lỡ.
Sàn forex uy tín, nhóm kéo tín hiệu lãi mỗi ngày, bao lỗ cho nhà đầu tư mới.
Săn mã giảm giá, hoàn tiền 50% mọi đơn hàng, bấm vào link để nhận.
Nhận hack tài khoản Facebook, lấy lại mật khẩu, đọc trộm tin nhắn.
Việc nhẹ lương cao, tuyển gấp nhân viên nhập liệu, lương 15 triệu, không cần kinh nghiệm.
Đăng ký mở thẻ tín dụng online, hạn mức 50 triệu, không cần chứng minh thu nhập.
Cần tiền gấp cứ alo em, vay trong ngày, chỉ cần sổ hộ khẩu.
Kèo nhà cái hôm nay: chấp nửa trái, vào tiền mạnh, ai cần kèo chuẩn ib em.
Game bài đổi thưởng uy tín, đổi thưởng qua ngân hàng trong 3 phút.
Tặng 200k trải nghiệm casino trực tuyến, rút được ngay.
Giảm cân cấp tốc giảm 10kg trong 1 tháng không cần ăn kiêng, cam kết hiệu quả.
Làm giấy khám sức khỏe, giấy nghỉ ốm, bằng cấp 3 giá rẻ lấy ngay.
Ai cần mua thuốc lá điện tử hàng xách tay giá sỉ inbox shop nhé.
Đầu tư con giống lợi nhuận 40% mỗi tháng, đã có hàng nghìn người tham gia.
Chỉ cần 1 triệu vốn, mỗi ngày lãi 300k, tham gia ngay nhóm đầu tư.
Shop mình chuyên đồ si secondhand giá sốc, ghé trang để xem nhé.
Mọi người ơi app này kiếm tiền thật, mình rút được 2 triệu rồi, nhập mã giới thiệu của mình.
Dịch vụ đòi nợ thuê, thu hồi nợ khó đòi, cam kết hiệu quả.
Bán tài khoản Netflix, Spotify giá rẻ chỉ 20k một tháng.
Chơi đá gà trực tiếp, cược thả ga, tặng 88k khi đăng ký.
Xem bóng đá trực tuyến không quảng cáo, kèo thơm mỗi ngày tại trang của tụi mình.
"""

SPAM_EN = """\
Earn $500 a day working from home, no experience needed, click the link in my profile.
Check out my channel for free gift cards, subscribe and I will subscribe back!
Buy real Instagram followers and likes, cheap and fast, 10k followers for $20.
I made $8,000 last month trading crypto with this simple bot, DM me to learn how.
Hot singles in your area want to chat tonight, click here.
Get your university degree online in two weeks, no exams, verified diploma.
Best online casino bonus, deposit $10 and get $100 free spins.
Guaranteed loan approval, bad credit OK, cash in your account in one hour.
Visit my website for cheap pills, no prescription required, worldwide shipping.
Please subscribe to my channel, I post new music every week, thanks!!!
Invest in bitcoin now, double your money in 7 days, limited spots.
Free iPhone giveaway, just enter your details at the link below.
Want to lose 20 pounds in a month? This one weird trick doctors hate.
Watch adult videos free, no sign up, link in bio.
SEO services: rank first on Google in 30 days, backlinks guaranteed.
Make money online fast, join my team and become your own boss today.
Hey guys check out my new video, please like comment and subscribe.
Cheap essay writing service, plagiarism free, order now with 30% discount.
Get paid to fill surveys, I earned $300 this week alone.
Sports betting tips with 95% accuracy, join our Telegram group.
"""

# ----- abuse: insults and hate aimed at people -----------------------------------------------
ABUSE_VI = """\
Đồ ngu, không biết gì thì im mồm đi.
Óc chó thật sự, đọc bài mà không hiểu à?
Thằng phóng viên viết bài này đúng là đồ bất tài, vô học.
Mẹ mày, nói ngu như bò.
Cút mẹ mày đi, loại rác rưởi như mày không đáng để nói chuyện.
Đồ mặt dày, ăn bám xã hội.
Bọn này toàn lũ súc vật, giết hết cho rồi.
Thằng nào viết cái comment trên đúng là não ngắn.
Con mụ này mồm thối, chửi cả làng.
Mày là đồ chó, đừng có lên đây sủa.
Đúng là ngu như lợn, nói mãi không hiểu.
Lũ khốn nạn, đáng bị đánh chết.
Đồ điên, về mà hỏi lại bố mẹ mày xem.
Thằng óc lợn này bớt sủa đi.
Bọn dân tỉnh lẻ ngu dốt, chỉ biết ăn với ngủ.
Nhìn cái mặt là biết loại lừa đảo, đồ khốn.
Mày nói thêm câu nữa tao đập cho vỡ mồm.
Đ.m thằng admin, xóa comment của tao làm gì.
Cái loại đàn bà như mày chỉ biết chửi bới.
Thằng ngu này nên đi chết đi cho xã hội đỡ chật.
Đồ con hoang, không ai dạy dỗ à?
Bọn bắc kỳ/nam kỳ chúng mày toàn là đồ lừa đảo.
Ngu thì ngồi im, đừng có thể hiện.
Đồ rác rưởi, cút khỏi đây.
Cả nhà mày đều là lũ ăn hại.
Óc bã đậu, viết bài như shit.
Thằng chủ quán này mặt như cái l, đồ mất dạy.
Địt mẹ bọn lừa đảo.
Câm mồm đi thằng hèn.
Con đĩ này đăng bài câu view.
"""

ABUSE_CASUAL = """\
dm thằng này ngu vl
vl óc chó thật
đcm mày câm mồm
ngu như con bò
đồ mất dạy
thằng ngu
mẹ mày chứ
đồ khốn nạn
bố mày đập chết mày giờ
lũ ngu dốt
cút đi thằng ngu
óc chó à
súc vật
con chó này
đồ thần kinh
mày bị ngu à
vcl ngu thế
ăn cứt đi
câm mồm lại
đồ rác
"""

ABUSE_EN = """\
You are a complete idiot, stop commenting.
Shut up you moron, nobody asked you.
What a stupid piece of trash this writer is.
Go to hell, you worthless loser.
People like you are scum and should be kicked out of the country.
Only an imbecile would believe this garbage.
You dumb clown, learn to read before you type.
Get lost, you pathetic little troll.
This idiot reporter should be fired, brain dead.
You are a disgusting pig, nobody wants you here.
shut up stupid
what an idiot lol
you're a moron
f*** off loser
stfu retard
"""

# ----- templates: slots filled from the lists below ------------------------------------------
BRANDS = ["nhacai88", "bet79", "w88vn", "vn88", "fb88", "kubet", "sodo66", "jun88", "hi88", "okvip"]
TLDS = ["com", "net", "vip", "club", "xyz", "asia"]
SHORT = [
    "bit.ly/3xKq9",
    "tinyurl.com/vay-nhanh",
    "cutt.ly/kiemtien",
    "t.ly/keo88",
    "shorturl.at/ab",
]
NAMES = ["Linh", "Hương", "Tuấn", "Mai", "Hoa", "Nam", "Trang", "Vy"]

SPAM_TEMPLATES = [
    "Nhà cái {brand} uy tín nhất, vào {domain} nhận ngay 88k.",
    "Kèo thơm hôm nay, ai cần soi kèo liên hệ {phone}.",
    "Cá độ bóng đá tại {domain}, tỷ lệ cược cao, rút tiền 5 phút.",
    "Vay tiền nhanh không cần thế chấp, gọi {phone} gặp chị {name}.",
    "Bốc bát họ góp ngày lãi thấp, zalo {phone}.",
    "Làm bằng đại học thật 100%, có hồ sơ gốc, liên hệ {phone}.",
    "Cần tiền gấp? Vay online duyệt 5 phút tại {domain}.",
    "Nhận làm bằng cấp 3, bằng đại học giá rẻ, zalo {phone} ({name}).",
    "Kiếm 300k mỗi ngày tại nhà, chi tiết tại {short}",
    "Xem phim sex miễn phí, link: {short}",
    "Nạp 100k tặng 100k tại nhà cái {brand}, link {domain}",
    "Tài xỉu, nổ hũ, bắn cá đổi thưởng tại {domain}, code tân thủ 50k.",
    "Đầu tư coin x10 tài khoản trong 1 tuần, inbox tele @{handle}",
    "Tuyển CTV online lương 10tr/tháng, ib zalo {phone}",
    "Em {name} chuyên cho vay tín chấp, giải ngân trong ngày, sđt {phone}",
    "Bao đậu bằng lái xe, không cần học, liên hệ {phone}",
    "Lô đề online 1 ăn 99.5 tại {domain}, uy tín tuyệt đối.",
    "{brand} tặng tiền cho thành viên mới, đăng ký tại {domain} ngay hôm nay",
    "Earn $300 per day from home, register at {domain}",
    "Check my channel for free followers: {short}",
    "Best betting site {domain}, 200% welcome bonus, join now",
    "Need a quick loan? Call {phone}, approval in minutes",
    "Buy followers and likes cheap at {domain}",
    "Crypto signals group, 50% profit weekly, telegram @{handle}",
]
HANDLES = ["keovip88", "coin_x10", "dautu_24h", "kiemtien_online", "vaynhanh247"]

ABUSE_TEMPLATES = [
    "{insult}, {tail}",
    "Thằng {target} này đúng là {insult}",
    "{target} {insult} thật",
    "mày đúng là {insult}",
    "đồ {insult_word}, {tail}",
]
INSULTS = ["đồ ngu", "óc chó", "ngu như bò", "đồ khốn nạn", "đồ mất dạy", "não cá vàng"]
INSULT_WORDS = ["ngu", "súc vật", "chó má", "khốn nạn", "mất dạy", "rác rưởi", "ăn hại"]
TAILS = ["im mồm đi", "cút đi", "biến khỏi đây", "không ai cần mày", "về nhà mà học lại"]
TARGETS = ["tác giả", "admin", "phóng viên", "chủ tịch xã", "thằng bình luận trên", "bọn mày"]

HAM_TEMPLATES = [
    "Đường {place} {problem}, mong {authority} sớm xử lý.",
    "{authority} phải chịu trách nhiệm về việc {place} {problem}.",
    "Tôi sống ở {place} nhiều năm, {problem} là chuyện thường ngày.",
    "Đề nghị {authority} kiểm tra lại vì {place} {problem}.",
    "Why has the {authority_en} done nothing about {problem_en} for so long?",
]
PLACES = ["Trần Phú", "Lê Lợi", "Hùng Vương", "Nguyễn Huệ", "Quang Trung", "ven sông", "xã Tân An"]
PROBLEMS = [
    "ngập nặng mỗi khi mưa",
    "xuống cấp nghiêm trọng",
    "thiếu đèn chiếu sáng",
    "bị đào lên lấp xuống liên tục",
    "kẹt xe giờ tan tầm",
    "bụi mù mịt vì xe chở vật liệu",
]
AUTHORITIES = ["ủy ban phường", "lãnh đạo huyện", "Sở Giao thông", "ban quản lý dự án", "công an"]
AUTH_EN = ["district council", "city government", "transport department"]
PROBLEMS_EN = ["the potholes", "the flooding on Main Street", "the broken street lights"]

# ----- evasion tricks ---------------------------------------------------------------------
TEENCODE = {
    "không": "ko",
    "được": "dc",
    "gì": "j",
    "vậy": "z",
    "bạn": "bn",
    "với": "vs",
    "rồi": "r",
    "anh em": "ae",
    "quá": "wá",
    "biết": "bít",
    "mình": "mk",
    "thế": "thé",
}
LOOKALIKE = {"a": "а", "o": "о", "e": "е", "c": "с", "i": "і", "p": "р", "x": "х", "y": "у"}
SPAM_WORDS = ["nhà cái", "cá độ", "vay tiền", "làm bằng", "kèo", "bốc bát họ", "tài xỉu", "nổ hũ"]
ABUSE_WORDS = ["ngu", "óc chó", "mẹ mày", "khốn nạn", "súc vật", "mất dạy", "chó"]


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def teencode(text: str) -> str:
    for word, code in TEENCODE.items():
        text = text.replace(word, code)
    return text


def split_letters(text: str, words: list[str], rng: random.Random) -> str:
    sep = rng.choice([".", " ", "-", "_", "*"])
    for word in words:
        if word in text:
            return text.replace(word, sep.join(word.replace(" ", "")), 1)
    return text


def lookalikes(text: str, rng: random.Random) -> str:
    return "".join(LOOKALIKE[c] if c in LOOKALIKE and rng.random() < 0.4 else c for c in text)


def zero_width(text: str, words: list[str], rng: random.Random) -> str:
    for word in words:
        if word in text:
            return text.replace(word, rng.choice(["\u200b", "\u200c", "\u2060"]).join(word), 1)
    return text


def stretch(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    word = words[i]
    if word and word[-1].isalpha():
        words[i] = word + word[-1] * rng.randint(3, 6)
    return " ".join(words) + rng.choice(["!!!", "!!!!!", " 🔥🔥", " 💰💰💰", ""])


def phone(rng: random.Random) -> str:
    digits = "09" + "".join(rng.choice("0123456789") for _ in range(8))
    style = rng.randrange(6)
    if style == 0:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == 1:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if style == 2:
        return " ".join(digits)
    if style == 3:
        return digits.replace("0", "o").replace("1", "l")
    if style == 4:
        words = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
        return " ".join(words[int(d)] for d in digits)
    return "+84 " + digits[1:4] + "-" + digits[4:]


def domain(rng: random.Random, brand: str) -> str:
    tld = rng.choice(TLDS)
    style = rng.randrange(4)
    if style == 0:
        return f"{brand}.{tld}"
    if style == 1:
        return f"{brand} . {tld}"
    if style == 2:
        return f"{brand} (chấm) {tld}"
    return f"https://{brand}.{tld}/dang-ky"


def lines(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip()]


def evasions(text: str, words: list[str], rng: random.Random) -> list[str]:
    """Return two disguised copies of a spam or abuse text."""
    tricks = [
        lambda t: strip_diacritics(t),
        lambda t: teencode(t.lower()),
        lambda t: split_letters(t, words, rng),
        lambda t: lookalikes(t, rng),
        lambda t: zero_width(t, words, rng),
        lambda t: stretch(t, rng),
        lambda t: strip_diacritics(teencode(t.lower())),
        lambda t: t.upper(),
    ]
    return [trick(text) for trick in rng.sample(tricks, 2)]


def build(seed: int = 20240611) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    for text in lines(HAM_VI) + lines(HAM_VI_CASUAL):
        rows.append((text, "ham"))
        if rng.random() < 0.5:  # readers type without accents or in teencode too
            rows.append((rng.choice([strip_diacritics, teencode])(text), "ham"))
    rows += [(text, "ham") for text in lines(HAM_EN)]
    for template in HAM_TEMPLATES:
        for _ in range(6):
            rows.append(
                (
                    template.format(
                        place=rng.choice(PLACES),
                        problem=rng.choice(PROBLEMS),
                        authority=rng.choice(AUTHORITIES),
                        authority_en=rng.choice(AUTH_EN),
                        problem_en=rng.choice(PROBLEMS_EN),
                    ),
                    "ham",
                )
            )
    for text in lines(SPAM_VI) + lines(SPAM_EN):
        rows.append((text, "spam"))
        rows += [(t, "spam") for t in evasions(text, SPAM_WORDS, rng)]
    for template in SPAM_TEMPLATES:
        for _ in range(5):
            brand = rng.choice(BRANDS)
            text = template.format(
                brand=brand,
                domain=rng.choice([domain(rng, brand), rng.choice(SHORT)]),
                short=rng.choice(SHORT),
                phone=phone(rng),
                name=rng.choice(NAMES),
                handle=rng.choice(HANDLES),
            )
            rows.append((rng.choice([text, *evasions(text, SPAM_WORDS, rng)]), "spam"))
    for text in lines(ABUSE_VI) + lines(ABUSE_CASUAL) + lines(ABUSE_EN):
        rows.append((text, "abuse"))
        rows += [(t, "abuse") for t in evasions(text, ABUSE_WORDS, rng)[:1]]
    for template in ABUSE_TEMPLATES:
        for _ in range(8):
            text = template.format(
                insult=rng.choice(INSULTS),
                insult_word=rng.choice(INSULT_WORDS),
                tail=rng.choice(TAILS),
                target=rng.choice(TARGETS),
            )
            rows.append((rng.choice([text, *evasions(text, ABUSE_WORDS, rng)]), "abuse"))
    seen: set[str] = set()
    unique = []
    for text, label in rows:
        if text not in seen:
            seen.add(text)
            unique.append((text, label))
    return unique


def main() -> None:
    rows = build()
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    counts = {
        label: sum(1 for _, lab in rows if lab == label) for label in ("ham", "spam", "abuse")
    }
    print(f"wrote {len(rows)} rows to {OUT}: {counts}")


if __name__ == "__main__":
    main()
