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

# Slurs and abbreviated profanity (session 10): insults aimed at regions, ethnic groups,
# political camps, women, LGBT people and the disabled, threats, and the shortened swear
# words readers type. Written from our own knowledge of the language, as everything here.
ABUSE_VI_SLURS = """\
dcm bọn quan tham, ăn cho lắm vào rồi chết
dkm thằng tài xế láo toét
vkl viết bài kiểu gì ngu thế
đéo hiểu nổi bọn mày nghĩ cái gì
đéo ai tin mấy thằng này nữa
cmm im đi cho người khác nói
clm toàn nói nhảm
loz má thằng chủ thớt
đm cái loại bình luận dạo
vãi lồn thật sự, ngu hết phần thiên hạ
cc gì mà cũng đòi lên tiếng
đụ má bọn lừa đảo
đcmm thằng đăng bài này
dmm bọn cò đất
địt cụ thằng nào nghĩ ra cái dự án này
ăn l** à mà nói ngu thế
Bọn bắc kỳ vào đây chiếm hết đất rồi còn lên mặt
Lũ parky chỉ giỏi lừa đảo với ăn cắp
Dân nam kỳ toàn lũ ăn hại lười biếng
Thanh Hóa thì toàn trộm cướp, ai chả biết
Dân Nghệ An toàn lũ mọi rợ
Bọn miền Tây nghèo mà lười, đáng đời
Về quê mà chăn trâu đi thằng nhà quê ngu dốt
Lũ ba que phản động cút ra nước ngoài đi
3 que lại lên đây sủa bậy
Mấy con bò đỏ ngu muội, đọc gì cũng tin
Dư luận viên ăn lương lại vào định hướng, đồ bò
Bọn đu càng bán nước, không đáng làm người
Lũ cờ vàng khốn nạn
Bọn tàu khựa cút về nước
Khựa nó sang đây mua hết đất rồi, giết hết đi
Lũ chệt gian manh, đứa nào cũng như đứa nào
Đồ mọi rợ trên núi, biết gì mà nói
Bọn da đen hôi hám ở đâu cũng phá
Lũ pê đê bệnh hoạn, cấm hết đi
Bọn bóng lộ làm ô nhiễm xã hội
Thằng bê đê này nói chuyện như con gái, kinh tởm
Đàn bà biết gì mà bàn chuyện chính trị, về rửa bát đi
Con mụ này chắc lại ngủ với sếp mới được lên chức
Đồ thiểu năng, đọc không hiểu à
Thằng tâm thần này lại lên cơn
Não tôm thì đừng bình luận
Đồ què còn đòi làm lãnh đạo
Đồ bại não, nói như đúng rồi
Thằng tài xế này phải bắn bỏ
Loại này phải tử hình, chết không cần chôn
Đánh cho nó chết đi, loại đấy sống làm gì
Cả nhà nó chết hết cho rồi
Biết nhà mày ở đâu rồi, tối nay chờ đấy
Lũ ăn xin bẩn thỉu, dọn sạch khỏi thành phố đi
"""

ABUSE_EN_SLURS = """\
Go back to your country, you filthy immigrant.
Typical woman driver, too dumb to be on the road.
These retards running the council should be shot.
Kill them all, they are vermin.
What a f*cking joke, you sh*t for brains.
Disgusting f*ggots should be banned from the parade.
"""

# More adverts (session 10), so the spam side grows with the civil one; each is also kept
# without accents, as spammers type them to slip past filters.
SPAM_VI_MORE = """\
Nhận làm bằng cấp 3, bằng đại học các trường, phôi thật, có số vào sổ.
Làm giấy tờ nhanh: căn cước, hộ khẩu, giấy khai sinh, bằng lái, lấy trong ngày.
Bán bằng đại học chính quy giá rẻ, bao kiểm tra, giao tận nhà.
Hỗ trợ làm chứng chỉ tiếng Anh, tin học, không cần thi, nhận chứng chỉ sau 3 ngày.
Vay tiền online duyệt hồ sơ 5 phút, không gọi người thân, không cần gặp mặt.
Cho vay tín chấp theo lương, giải ngân trong ngày, lãi suất chỉ 1% tháng.
Vay nóng trả góp theo ngày, có mặt sau 30 phút, bao nợ xấu.
App vay tiền mới ra, hạn mức 20 triệu, chỉ cần chụp căn cước.
Nạp 100k nhận ngay 300k, cá cược thể thao, nổ hũ, bắn cá, rút tiền 1 phút.
Link vào nhà cái mới nhất không bị chặn, tặng 58k cho người chơi mới.
Nhóm kéo tài xỉu thắng 10 ván liên tiếp, tham gia miễn phí trong hôm nay.
Soi cầu lô đề chuẩn 100%, ai muốn đổi đời thì nhắn em lấy số.
Đầu tư 5 triệu nhận lãi 1 triệu mỗi tuần, rút vốn bất cứ lúc nào.
Cơ hội làm giàu từ đồng coin mới, x10 tài khoản trong một tháng, vào nhóm để được hướng dẫn.
Sàn đầu tư vàng quốc tế, chuyên gia kèm 1 1, cam kết không lỗ.
Thu nhập thụ động 30 triệu mỗi tháng chỉ với 2 giờ mỗi ngày, ai quan tâm để lại số điện thoại.
Tuyển CTV đánh máy tại nhà, trả lương theo ngày, không cần cọc.
Tuyển nhân viên xem video và like bài, mỗi nhiệm vụ 50k, thanh toán ngay.
Việc làm thêm cho sinh viên, làm nhiệm vụ trên app, hoa hồng 20% mỗi đơn.
Tuyển người đi xuất khẩu lao động Nhật Bản, bay nhanh, chi phí thấp, bao đậu.
Bán acc Facebook cổ, tài khoản quảng cáo, via xác minh giá rẻ.
Bán nick game vip giá rẻ, giao dịch uy tín qua trung gian.
Tăng 10 nghìn follow thật chỉ 99k, tăng tương tác bài viết tự động.
Cung cấp dữ liệu khách hàng theo ngành, số điện thoại chính chủ, giá rẻ.
Thuốc giảm cân thảo dược, giảm 7kg trong 10 ngày, không tác dụng phụ.
Kem trộn trắng da cấp tốc sau 7 ngày, bao hiệu quả, hoàn tiền nếu không trắng.
Thuốc chữa dứt điểm tiểu đường, cao huyết áp, bài thuốc gia truyền, liên hệ ngay.
Mua hàng trên app giá rẻ hơn 70%, đăng ký bằng mã giới thiệu của mình để nhận quà.
Xả kho giày dép hàng hiệu giá chỉ 99k, số lượng có hạn, vào trang shop đặt ngay.
Đất nền ven biển sổ đỏ trao tay, giá đầu tư chỉ 300 triệu, sắp tăng giá gấp đôi.
Chỉ cần chia sẻ bài viết này là nhận thẻ cào 100k, thử ngay.
Quay số trúng thưởng iPhone, bạn là người may mắn thứ 1000, bấm link nhận quà.
Chat sex với hot girl, gọi video nóng, kết bạn Zalo ngay.
Web phim sex mới không quảng cáo, vào là xem được ngay.
Dịch vụ lấy lại tiền bị lừa đảo qua mạng, cam kết lấy lại 100%.
Làm hồ sơ vay vốn ngân hàng bao đậu, không cần chứng minh thu nhập.
Bán súng hơi, dao găm, hàng cấm giao kín đáo toàn quốc.
Nhận chạy điểm, sửa điểm thi, xin học trường điểm, cam kết thành công.
Cần người đứng tên mở tài khoản ngân hàng, trả 2 triệu mỗi tài khoản.
Hàng xách tay chính hãng giá rẻ bằng nửa giá ngoài tiệm, inbox để nhận báo giá.
"""

# Civil comments on the same groups and topics, so that naming a region, a people, a camp or
# an animal is not read as abuse by itself.
HAM_VI_GROUPS = """\
Người miền Bắc hay miền Nam thì cũng là đồng bào, cùng nhau giúp bà con vùng lũ.
Tôi là người Thanh Hóa vào Nam lập nghiệp, thấy bà con ở đây rất tốt bụng.
Bà con Nghệ An cần cù, chịu khó, mong tỉnh có thêm khu công nghiệp.
Người dân miền Tây đang khổ vì hạn mặn, mong được hỗ trợ nước ngọt.
Hàng Trung Quốc nhập lậu qua biên giới cần được kiểm soát chặt hơn.
Nhà thầu Trung Quốc làm dự án đường sắt, cần giám sát chất lượng kỹ.
Cộng đồng LGBT ở tỉnh vừa tổ chức ngày hội hiến máu, rất đáng khen.
Người đồng tính cũng có quyền được tôn trọng như mọi người.
Trung tâm bảo trợ người khuyết tật cần thêm kinh phí, mong các mạnh thường quân giúp đỡ.
Em bé bị bại não ở xã tôi rất cần được hỗ trợ chữa trị.
Bệnh viện tâm thần tỉnh đang quá tải bệnh nhân.
Phụ nữ vùng cao học nghề may, thu nhập ổn định hơn trước.
Nữ chủ tịch xã làm việc rất sát dân, bà con quý lắm.
Con chó nhà tôi bị xe tông, mong mọi người lái xe chậm trong ngõ.
Giá bò hơi tăng, người chăn nuôi ở huyện phấn khởi.
Trâu bò thả rông trên quốc lộ rất nguy hiểm, cần xử lý.
Dịch tả lợn châu Phi lại bùng phát, bà con cẩn thận.
Đồng bào dân tộc thiểu số ở vùng cao còn nhiều khó khăn.
Người Ê Đê giữ gìn văn hóa cồng chiêng rất đáng quý.
Người Hoa ở Chợ Lớn đón Tết Nguyên tiêu rất vui.
Tôi không đồng ý với bạn, nhưng bạn có quyền nói.
Những người phản đối chính sách này cũng có lý do của họ, cần đối thoại.
Kiều bào ở nước ngoài quyên góp giúp bà con vùng lũ, cảm động quá.
Người nhập cư lên thành phố làm công nhân rất vất vả.
Cán bộ này phải bị xử lý hình sự, tham nhũng quá nhiều.
Kẻ gây tai nạn rồi bỏ chạy phải bị truy tố nghiêm.
Bọn trộm chó ở xã tôi hoạt động ngang nhiên, công an cần vào cuộc.
Bọn lừa đảo qua điện thoại giả danh công an, mọi người cảnh giác.
Xử tù những kẻ buôn người là đúng, không khoan nhượng.
Người da màu đến du lịch ở phố cổ ngày càng đông.
"""

# Casual civil chat (session 10): short, colloquial, teencode, no insult. Without it the
# slurs above taught the model that any colloquial comment is abuse (docs/engine.md).
HAM_VI_CHAT = """\
anh ơi cho em hỏi cái này mua ở đâu vậy
đi đâu mà vội thế bạn ơi, chạy chậm thôi
nói gì thì nói chứ trận này đội mình đá hay thật
biết rồi mà vẫn thấy buồn ghê
lên đi anh ơi, cả làng ủng hộ anh
hết rồi à, tiếc ghê, tuần sau mình ghé lại
con nhà ai mà dễ thương thế này
nó nói đúng mà, sao mọi người cứ cãi nhau vậy
ăn gì chưa mọi người, trưa nay nóng quá
nóng chết đi được, bao giờ mới có mưa
xin chúc mừng thầy cô và các em nha
cô giáo chủ nhiệm của mình hồi xưa cũng dạy ở trường này đó
ba mẹ mình ở quê cũng trồng lúa, năm nay mất mùa rồi
em là fan của anh từ hồi đầu, cố lên anh nhé
ủa rồi sao nữa, ai biết kể mình nghe với
k biết có ai đi cùng đường này không, cho mình đi ké với
t thấy cũng bình thường mà, có gì đâu
v là hết năm rồi đó mọi người, nhanh ghê
đây là lần thứ ba mình thấy tin này rồi
mà thôi kệ, miễn sao bà con đủ ăn là được
trời ơi thương con bé quá, mong bé mau khỏe
bạn nói chuẩn luôn, mình cũng nghĩ vậy
nào rảnh về quê chơi với ông bà đi
chứ còn gì nữa, năm nào chả thế
à ra là vậy, giờ mình mới biết
lại tăng giá nữa rồi, sống sao nổi đây
hài thật chứ, xem mà cười đau cả bụng
mình ở gần đó nè, tối qua mưa to mà không ngập đâu
đọc xong thấy ấm lòng ghê, người tốt vẫn còn nhiều
thằng em mình cũng học trường này, nó bảo thầy dạy hay lắm
con bò nhà bác Tư đẻ được con bê rồi, vui quá
thôi đừng cãi nhau nữa, ai cũng có lý cả
hóng phần hai quá anh ơi
ko ai nói cho mình biết lịch nghỉ Tết à
đỉnh thật sự, xem đi xem lại mấy lần rồi
nghe nói tuần sau có bão lên, mọi người chuẩn bị nha
mấy đứa nhỏ nhà mình mê bài hát này lắm
xin lỗi mọi người, mình đọc nhầm tin
cảm ơn anh nhiều nha, nhờ anh mà mình tìm được đường
chết thật, quên mất hôm nay là sinh nhật mẹ
bọn nhỏ trong xóm hôm nay được phát quà Trung thu vui lắm
đội mình hôm nay đá hay quá trời luôn
pha ghi bàn phút cuối đỉnh thật sự =))
thủ môn bắt hay ghê, cứu thua mấy quả liền
tối nay có ai đi xem bóng đá ở sân tỉnh ko
trọng tài bắt hơi ép đội mình nhưng thôi kệ, thắng là được
mong mùa sau đội lên hạng, cố lên anh em
xem xong trận này mất ngủ luôn kkk
t nghĩ hiệp 2 đội mình ghi thêm bàn nữa
tiền đạo số 9 chạy nhanh thật, bọn hậu vệ đuổi ko kịp
hôm qua xem ở quán cà phê đông nghẹt người luôn
u23 đá có tinh thần ghê, tự hào mấy đứa nhỏ
ai có lịch thi đấu vòng tới không cho t xin với
bài này nghe hoài không chán luôn á
giọng ca sĩ này ấm ghê, nghe mà nổi da gà
phim này coi khóc quá trời, ai coi chưa thì coi đi
tập cuối hay ghê, hóng phần tiếp theo
mv mới đẹp quá, quay ở quê mình đó mọi người
nghe bài này nhớ hồi sinh viên ghê
hôm bữa đi coi ca nhạc ở quảng trường vui quá trời
diễn viên này đóng vai nào cũng hợp
mấy bài nhạc xưa nghe vẫn hay nhất =))
ca sĩ về tỉnh mình diễn hả, vé bao nhiêu vậy mọi người
hôm nay con mình đi học ngày đầu, khóc quá trời
mẹ t nấu món này ngon lắm, nhìn mà thèm ghê
nhà t cũng nuôi một con mèo y chang vậy
cuối tuần này cả nhà về quê ăn giỗ ông
đứa nhỏ nhà hàng xóm dễ thương ghê, gặp ai cũng chào
trưa nay ăn bún bò gần chợ, ngon mà rẻ
sáng nay dậy trễ, chạy xe muốn bay luôn mà vẫn trễ làm
tụi nó rủ đi cà phê mà t bận quá ko đi đc
m về chưa, về thì ghé nhà t chơi
hôm nay trời đẹp ghê, đi dạo bờ sông mát lắm
bà ngoại t năm nay 90 tuổi mà vẫn còn khỏe lắm
con gái t thi đậu cấp 3 rồi, vui quá mọi người ơi
nhà mình mới sơn lại cổng, nhìn sáng sủa hẳn
tối nay nấu canh chua cá lóc, ai ăn ghé nha
đi chợ sáng nay thấy rau rẻ lại rồi
ông xã t bảo cuối năm đi du lịch Đà Lạt
mấy đứa cháu về chơi nhà cửa ồn ào mà vui
mới sinh em bé được một tháng, mệt mà hạnh phúc ghê
giá vàng tăng quá trời, tính mua mà thôi để sau
xăng lên nữa rồi hả trời, đổ có 50k mà được có tí
lương thì không tăng mà cái gì cũng tăng, chịu luôn
tiền điện tháng này cao ghê, chắc tại nóng bật máy lạnh nhiều
nghe nói sắp tăng học phí, phụ huynh lo quá
lúa năm nay bán được giá, bà con vui lắm
chợ Tết năm nay vắng hơn mọi năm ha
mua nhà bây giờ khó quá, đi làm cả đời chắc chưa đủ
hàng online giờ rẻ hơn ngoài tiệm nhiều
thanh long rớt giá thương bà con quá
trời nóng quá, mới sáng mà như đổ lửa
mưa từ tối qua tới giờ chưa tạnh luôn
bão sắp vào rồi, mọi người nhớ chằng chống nhà cửa nha
sáng nay sương mù dày đặc, chạy xe cẩn thận nha mn
trời trở lạnh rồi, nhớ giữ ấm cho mấy đứa nhỏ
mưa to vậy chắc đường Lê Lợi ngập nữa rồi
năm nay hạn lâu quá, ruộng nứt hết rồi
nay trời mát mẻ dễ chịu ghê
đoạn này sáng nào cũng kẹt xe, đi sớm mấy cũng trễ
ai đi ngang cầu mới chưa, đi êm ghê
mấy bác tài xe khách chạy nhanh quá, sợ thật
đèn đỏ ngã tư này lâu ghê, chờ muốn xỉu
đường mới làm xong đẹp quá, cảm ơn mấy anh công nhân
hôm qua thấy tai nạn ở đầu dốc, mong người bị nạn qua khỏi
đội mũ bảo hiểm vào nha mọi người, an toàn là trên hết
xe buýt tuyến mới chạy đúng giờ lắm, đi tiện ghê
tin này buồn quá, chia buồn với gia đình
hóng diễn biến vụ này quá
đọc tin mà thấy mừng cho bà con
công nhận năm nay tỉnh mình đổi mới nhiều ghê
thật hả trời, sao giờ mới đưa tin vậy
ủa vụ này xử lý xong chưa mọi người
tin vui quá, cuối cùng cũng có bệnh viện mới
mong mấy anh công an sớm tìm ra thủ phạm
phóng viên viết dễ hiểu ghê, cảm ơn nha
đọc tới đoạn cuối muốn rớt nước mắt
ai ở gần đó xác nhận giùm coi có thật ko
vụ này ồn ào quá, chờ kết luận chính thức đi mọi người
tưởng gì, hóa ra chỉ là tin đồn
mấy ông cán bộ làm vậy là sai rồi, phải xử lý nghiêm
ê m ơi coi cái này nè =))
kkk đọc cmt mà cười đau bụng
j vậy trời, ai giải thích giùm với
hok bik nữa, để hỏi lại mẹ đã
dc r, mai t qua lấy nha
bik v thì hồi đó t đi sớm rồi
mn ơi cho e hỏi đường về huyện đi sao ạ
ok b, cảm ơn nha
hihi dễ thương quá đi
trời ơi nhớ hồi xưa ghê =)))
t thấy ổn mà, có gì đâu mà căng
uầy đẹp quá trời luôn
ủa m cũng ở đó hả, sao ko nói sớm
vui ghê, lâu lắm mới gặp lại tụi bạn cũ
nhìn là biết ngon rồi, bữa nào rủ t đi ăn với
nghe bảo quán này mới mở, đi thử hông mn
haha đúng là tuổi thơ của t luôn
chuẩn r, ko sai câu nào
thui ngủ đây, mai đi làm sớm
quá trời người luôn á, chen muốn xỉu
tran nay doi minh da hay qua
troi mua to qua, ve nha can than nha moi nguoi
cam on ban nhieu nha
nha minh cung o gan do, sang nay di ngang thay dong lam
bai hat nay nghe hoai khong chan
con minh nam nay vao lop 1 roi
gia xang tang hoai, chiu khong noi
hom nay an gi ngon khong moi nguoi
thi xong rồi, giờ chỉ mong điểm cao thôi
cô dạy văn hồi cấp 3 của t hiền lắm
mấy đứa lớp t giờ đứa nào cũng thành đạt hết
sắp thi đại học rồi, run quá mọi người ơi
học online hoài chán ghê, muốn đi học lại
trường t có cái sân bóng mới đẹp lắm
chúc các sĩ tử thi tốt nha
hồi xưa đi học toàn đi bộ mấy cây số
con chó nhà t khôn lắm, nghe tiếng xe là chạy ra đón
nhà bác t nuôi mấy con bò, năm nay được giá
con mèo này mập ghê, nhìn cưng xỉu
khỉ trên núi xuống phá vườn bà con quá trời
heo con mới sinh được mười con, mừng ghê
con chó lạc này ai nuôi thì nhận về nha, nó đói lắm rồi
nóng dã man luôn mọi người ơi
ngon xỉu luôn á
đẹp dã man
mệt muốn xỉu mà vui
đông khủng khiếp luôn
hay kinh khủng, xem liền một mạch
tăng ca cả tuần mệt ghê, mong tới chủ nhật
công ty t đang tuyển thêm công nhân, ai cần việc thì hỏi phòng nhân sự nha
làm nông cực mà vui, có lúa là mừng
đi làm xa nhà nhớ mẹ ghê
sếp t dễ tính lắm, làm ở đây thoải mái
nghỉ Tết được 9 ngày, sướng ghê
bánh xèo ở chợ đêm ngon mà rẻ lắm
mùa này xoài ngọt ghê
trà sữa quán mới mở uống cũng được
ăn cơm nhà vẫn là ngon nhất
tết năm nay gói bánh chưng với ông bà vui quá
chúc mọi người cuối tuần vui vẻ nha
năm mới chúc cả nhà mạnh khỏe, an khang
trung thu năm nay phố lồng đèn đẹp quá trời
cảm ơn mọi người đã chia sẻ, mình hiểu rồi
để mình đọc kỹ lại rồi góp ý sau nha
chúc mừng sinh nhật ông ngoại, sống lâu trăm tuổi nha ông
coi mà thấy thương mấy cô chú bán vé số quá
hàng xóm t tốt bụng lắm, hay cho rau trong vườn
mấy anh lính cứu hỏa giỏi thật, cảm ơn mấy anh
nói thật chứ ở quê vẫn là sướng nhất
thôi không bàn nữa, mỗi người một ý mà
Mình đồng ý với bình luận phía trên, rất có lý.
Cảm ơn mọi người đã bình luận góp ý cho bài viết.
Bình luận của bạn giúp mình hiểu thêm về vụ này.
Đọc bình luận thấy mỗi người một ý, cũng hay.
Bình luận đầu tiên, chúc tòa soạn năm mới vui vẻ.
Mình bình luận lần đầu, mong ban biên tập đọc được.
bình luận bên dưới có người nói đúng đó
ai bình luận ở trên cho mình xin địa chỉ quán với
comment của bác nghe hợp lý ghê
Phần bình luận hôm nay sôi nổi quá.
"""

# English to match (session 10): the Vietnamese rows above made the English side small.
SPAM_EN_MORE = """\
Subscribe to my channel and I will sub back, promise!
Hey everyone, I just started a YouTube channel, please check it out and subscribe.
Follow me on Instagram for daily giveaways, link in my bio.
I'm giving away 5 free PS5 consoles, just like this and visit my page.
Want free robux? Go to my website and enter your username.
This crypto coin will 100x next week, buy now before it's too late.
Join my forex signals group, we made 300% profit this month.
Need a loan today? Instant approval, no credit check, message me now.
Get a real college diploma without attending classes, fast delivery.
Lonely tonight? Beautiful girls are waiting to video chat with you.
Click here to claim your $1000 Walmart gift card before it expires.
Make $200 per hour from your phone, ask me how.
Please check out my new song on SoundCloud, it would mean a lot.
Buy cheap YouTube views and subscribers, instant delivery.
I sell followers, likes and comments for any platform, best prices.
Visit my online store for designer bags at 90% off.
Download this app with my referral code and get $20 free.
Work from home and earn $5000 a month, limited spots available.
Get rid of belly fat in 7 days with this natural supplement.
Win an iPhone 15 today, just share this post and click the link.
Can you guys go to my channel and watch my videos? Thank you!
Best betting tips every day, 98% win rate, join our VIP group.
Looking for a sugar daddy? Sign up free at the link.
Earn bitcoin just by watching videos, proof of payment in my profile.
Cheap watches and sneakers, replica but look real, order now.
Hi, I make beats, check my page and buy a beat for your next track.
My friend made $12,000 last month with this online system, see the link.
Free movies and TV shows, no ads, visit my site.
Quick cash for your car title, same day money, call now.
I'm new to music, please listen to my cover and subscribe if you like it.
"""

HAM_EN_CHAT = """\
This song brings back so many memories.
Watching this again in 2024, still love it.
The drummer is amazing in this one.
Who else is here after the news report?
My kids sing this every morning, it never gets old.
That goal in the last minute was unbelievable.
The weather has been crazy this week, stay safe everyone.
Traffic on the bridge was terrible again this morning.
Great reporting, thanks for keeping us informed.
I live near there, the road has been flooded since Monday.
Congratulations to all the students who graduated this year.
The new park by the river is lovely, we went there on Sunday.
Does anyone know when the bus route will reopen?
Prices at the market keep going up, it's getting hard.
Honestly the best performance of the night.
lol my dog loves this song
I agree with the comment above, well said.
Thank you to the firefighters who worked all night.
So sad to hear about the accident, thoughts with the family.
The food at the night market was great, highly recommend.
My grandma turns 90 this week and she still walks every day.
haha this made my day
I remember watching this with my friends in school.
The team played with heart tonight, proud of them.
Nice to see the old theatre being restored.
Can't believe it's been ten years since this came out.
The council should fix the street lights, it's dark at night.
This is the kind of news I like to read, more of this please.
Happy new year to everyone in the province!
Great video, the scenery is beautiful.
Her voice gives me chills every single time.
I could listen to this on repeat all day.
This was my wedding song, so many good memories.
The dance in this video is so much fun.
Still the best song of the summer in my opinion.
My daughter asked me to play this ten times today lol
The lyrics are so meaningful, thank you for this.
I love how the chorus builds up at the end.
This deserves way more views than it has.
Anyone else dancing in their room right now?
The costumes in this video are amazing.
I was at this concert, what a night that was!
This song got me through a really hard year.
The guitar solo at the end is pure gold.
Such a catchy tune, it's stuck in my head now.
I showed this to my grandpa and he loved it.
Who's listening to this while doing homework?
The ending of the video made me laugh so hard.
Beautiful song, beautiful message.
The quality of this video is incredible for its time.
My favourite part is the bridge, it gives me goosebumps.
We played this at our school party and everyone sang along.
I keep coming back to this song every few months.
Amazing vocals, she hits every note.
This came on the radio in the car and I turned it up.
Good luck to the team in the final, we believe in you!
Thanks for the detailed article, it answered my questions.
Does anyone know the name of the song playing at the end?
Love from Vietnam, this song is popular here too.
"""

HAM_EN_GROUPS = """\
Immigrants have been part of this town for generations; the new community centre is welcome.
The disability access at the new station is still poor, please fix it.
Women on the council did a great job on the flood plan.
My dog went missing near the river park, any help appreciated.
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


def rows_added_in_session_10(rng: random.Random) -> list[tuple[str, str]]:
    """Slurs, the civil lines on the same groups, casual chat and more adverts (both languages).

    Drawn from their own generator, so that the rows before them stay exactly as they were.
    """
    rows: list[tuple[str, str]] = []
    for text in lines(HAM_VI_GROUPS) + lines(HAM_VI_CHAT):
        rows.append((text, "ham"))
        if rng.random() < 0.5:
            rows.append((rng.choice([strip_diacritics, teencode])(text), "ham"))
    rows += [(text, "ham") for text in lines(HAM_EN_GROUPS) + lines(HAM_EN_CHAT)]
    for text in lines(ABUSE_VI_SLURS) + lines(ABUSE_EN_SLURS):
        rows.append((text, "abuse"))
        rows += [(t, "abuse") for t in evasions(text, ABUSE_WORDS, rng)[:1]]
    for text in lines(SPAM_VI_MORE):
        rows += [(text, "spam"), (strip_diacritics(text), "spam")]
        rows += [(t, "spam") for t in evasions(text, SPAM_WORDS, rng)[:1]]
    for text in lines(SPAM_EN_MORE):
        rows.append((text, "spam"))
        rows += [(t, "spam") for t in evasions(text, SPAM_WORDS, rng)[:1]]
    return rows


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
    rows += rows_added_in_session_10(random.Random(seed + 1))
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
