//! Vietnamese (friendly "mình/bạn").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Cà phê {day} nhé?",
            "Uống cà phê {time}?",
            "Nghỉ giải lao {day}",
        ],
        leads: &[
            "Bạn có muốn đi uống cà phê {day} {time} không?",
            "Bạn có ở gần đây {day} {time} không? Mình có thể uống nhanh một ly cà phê.",
        ],
        follows: &[
            "Không vội đâu, bạn cứ báo mình lúc nào tiện nhé.",
            "Nghe nói {food} {place} ngon lắm.",
            "Nếu hôm khác tiện hơn thì cũng không sao.",
        ],
    },
    Topic {
        subjects: &[
            "Ăn trưa {day} nhé?",
            "Cùng ăn trưa {day}",
            "Hôm nào ăn trưa nhé?",
        ],
        leads: &[
            "Hay là mình cùng ăn trưa {day} nhé?",
            "Cuối cùng mình cũng có chút thời gian {day}, cùng ăn trưa thì vui lắm.",
        ],
        follows: &[
            "Đồng nghiệp bảo {food} {place} nhất định phải thử.",
            "Mình có thể gặp nhau {time}, nếu bạn tiện.",
            "Bạn báo mình nhé, mình sẽ đặt bàn.",
        ],
    },
    Topic {
        subjects: &[
            "Sau buổi họp của mình",
            "Ghi chú về {project}",
            "Bước tiếp theo cho {project}",
        ],
        leads: &[
            "Cảm ơn bạn lần nữa về buổi họp bàn về {project}.",
            "Sáng nay mình đã đọc lại ghi chú về {project}.",
        ],
        follows: &[
            "Mình có thể dành nửa tiếng {day} để thống nhất các bước tiếp theo không?",
            "Mình nghĩ mọi thứ vẫn đúng tiến độ, chỉ còn vài việc nhỏ.",
            "Nếu mình bỏ sót điều gì quan trọng thì bạn nhắc nhé.",
        ],
    },
    Topic {
        subjects: &[
            "Câu hỏi nhanh về {project}",
            "Một câu hỏi nhỏ",
            "Có tin gì về {project}?",
        ],
        leads: &[
            "Bạn có biết hiện giờ ai đang phụ trách {project} không?",
            "Mình có một câu hỏi nhanh về {project}.",
        ],
        follows: &[
            "Mình chỉ muốn chắc là mình không làm cùng một việc hai lần.",
            "Mình cũng có thể trao đổi {day}, nếu như vậy tiện hơn.",
        ],
    },
    Topic {
        subjects: &[
            "Cảm ơn bạn nhiều!",
            "Cảm ơn vì đã giúp đỡ",
            "Cảm ơn về {project}",
        ],
        leads: &[
            "Cảm ơn bạn rất nhiều vì đã giúp mình với {project}.",
            "Cảm ơn bạn đã dành thời gian cùng mình xem lại mọi thứ.",
        ],
        follows: &[
            "Thật sự giúp ích cho mình rất nhiều.",
            "Mình mời bạn một ly cà phê nhé, có thể {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Cuối tuần của bạn thế nào?",
            "Chuyện cuối tuần",
            "Một cuối tuần yên bình",
        ],
        leads: &[
            "Cuối tuần của bạn thế nào?",
            "Mong là bạn đã có một cuối tuần thư thái.",
        ],
        follows: &[
            "Thứ Bảy tụi mình {activity}, đúng là điều mình cần.",
            "Cuối tuần của tụi mình vui lắm: tụi mình {activity}, sau đó mình ngủ rất ngon.",
        ],
    },
    Topic {
        subjects: &[
            "Bạn biết {item} chưa?",
            "Một gợi ý cho bạn",
            "Ý tưởng cho cuối tuần",
        ],
        leads: &[
            "Bạn đã biết {item} chưa?",
            "Một đồng nghiệp giới thiệu cho mình {item} và thật sự rất hay.",
        ],
        follows: &[
            "Mình nghĩ bạn sẽ thích.",
            "Bạn thấy thế nào thì kể mình nghe nhé.",
            "Mình có thể nói chuyện về nó khi ăn trưa {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Gọi điện nhanh {day}?",
            "Nói chuyện {day} nhé?",
            "Chút thời gian trò chuyện",
        ],
        leads: &[
            "Bạn có mười lăm phút {day} cho một cuộc gọi ngắn không?",
            "Mình gọi điện nói chuyện chút {day} được không?",
        ],
        follows: &[
            "Không có gì gấp đâu, mình chỉ muốn biết mọi việc thế nào.",
            "Bạn có tiện {time} không?",
            "Chỉ mất vài phút thôi, mình hứa.",
        ],
    },
    Topic {
        subjects: &[
            "Lâu rồi không nói chuyện",
            "Bạn khỏe không?",
            "Sớm gặp nhau nhé?",
        ],
        leads: &[
            "Lâu lắm rồi mình chưa nói chuyện với nhau.",
            "Mình đang tự hỏi dạo này bạn thế nào.",
        ],
        follows: &[
            "Bạn có rảnh {day} không? Mình có thể gặp nhau {place}.",
            "Kể mình nghe dạo này bạn ra sao nhé.",
        ],
    },
    Topic {
        subjects: &[
            "Buổi gặp mặt nhỏ {day}",
            "Bạn tham gia {day} nhé?",
            "Một buổi liên hoan nhỏ",
        ],
        leads: &[
            "Tụi mình tổ chức một buổi gặp mặt nhỏ {place} {day}.",
            "Vài người tụi mình sẽ gặp nhau {day} {place} để mừng kết thúc quý.",
        ],
        follows: &[
            "Nghe nói {food} ở đó nhất định phải thử.",
            "Nếu bạn ghé qua được thì vui lắm, dù chỉ nửa tiếng.",
            "Chắc tụi mình sẽ bắt đầu {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Tin mới về {project}",
            "Tin vui về {project}",
            "Cập nhật ngắn",
        ],
        leads: &[
            "Cập nhật ngắn về {project}: mọi thứ đang suôn sẻ.",
            "Tin vui về {project}: tuần này tụi mình tiến được khá xa.",
        ],
        follows: &[
            "Chi tiết mình sẽ kể khi gặp nhau {day}.",
            "Vẫn còn vài câu hỏi bỏ ngỏ, nhưng không có gì nghiêm trọng.",
        ],
    },
];

/// The Vietnamese bank.
pub(crate) const BANK: Bank = Bank {
    code: "vi",
    greetings: &[
        "Chào {to},",
        "{to} thân mến,",
        "Chào buổi sáng {to},",
        "Xin chào {to},",
    ],
    plain_greetings: &[
        "Chào bạn,",
        "Xin chào,",
        "Chào buổi sáng,",
        "Chào mọi người,",
    ],
    openers: &[
        "Mong là tuần của bạn suôn sẻ.",
        "Mong là bạn vẫn khỏe.",
        "Mong là bạn đã có một cuối tuần vui vẻ.",
        "Hôm trước gặp bạn mình vui lắm.",
        "Mong là dạo này bên bạn đỡ bận rộn hơn.",
    ],
    topics: TOPICS,
    wishes: &[
        "Chúc bạn một tuần vui vẻ!",
        "Chúc bạn một ngày tốt lành.",
        "Nói chuyện sau nhé.",
        "Cuối tuần vui vẻ nhé!",
    ],
    signoffs: &[
        "Thân,",
        "Thân mến,",
        "Cảm ơn bạn,",
        "Hẹn gặp lại,",
        "Chúc mọi điều tốt đẹp,",
    ],
    acks: &[
        "Cảm ơn tin nhắn của bạn!",
        "Vui quá khi nhận được tin của bạn.",
        "Tuyệt, cảm ơn bạn đã báo mình.",
        "Cảm ơn bạn, nghe hay đấy.",
    ],
    answers: &[
        "Mình thấy ổn, cứ làm vậy nhé.",
        "Để mình xem lịch rồi báo bạn {day}.",
        "Được nhé, hẹn gặp bạn {day}.",
        "Rất sẵn lòng, {time} là hợp lý nhất.",
        "Mình chưa kịp xem, nhưng sẽ xem sớm thôi.",
        "Gặp nhau rồi mình bàn kỹ hơn nhé.",
    ],
    attribution: "Vào {date}, {name} đã viết:",
    attribution_anon: "Thư gốc, {date}:",
    date_format: "%H:%M ngày %d/%m/%Y",
    space: " ",
    slots: Slots {
        day: &[
            "vào thứ Hai",
            "vào thứ Ba",
            "vào thứ Tư",
            "vào thứ Năm",
            "vào thứ Sáu",
            "ngày mai",
            "ngày kia",
            "tuần sau",
        ],
        time: &[
            "vào buổi sáng",
            "khoảng mười giờ",
            "vào giờ trưa",
            "sau bữa trưa",
            "khoảng ba giờ chiều",
            "cuối buổi chiều",
        ],
        place: &[
            "ở quán cà phê đầu ngõ",
            "ở tiệm bánh gần ga",
            "ở công viên bên sông",
            "ở quán nhỏ ngoài quảng trường",
            "trên sân thượng",
            "ở quán mới cạnh văn phòng",
            "ở quán cà phê của bảo tàng",
        ],
        food: &[
            "bánh táo",
            "món súp trong ngày",
            "bánh chanh",
            "bánh mì pa-tê",
            "bánh cuộn quế",
            "phở gà",
            "bánh cà rốt",
        ],
        project: &[
            "báo cáo quý",
            "trang web mới",
            "tài liệu nhân viên mới",
            "dự thảo ngân sách",
            "bài thuyết trình cho khách",
            "bản tin hằng tháng",
            "việc chuyển văn phòng",
            "lịch đào tạo",
            "sổ tay của nhóm",
        ],
        activity: &[
            "đi leo núi",
            "cuối cùng cũng sửa xong chiếc xe đạp cũ",
            "ở cả ngày bên hồ",
            "thử một công thức làm bánh mì mới",
            "về quê thăm họ hàng",
            "đi xem một buổi hòa nhạc jazz nhỏ",
            "sơn lại phòng cho khách",
            "đi dạo thật lâu bên bờ biển",
        ],
        item: &[
            "cái podcast về giấc ngủ",
            "bộ phim tài liệu về loài ong",
            "bộ phim trinh thám mới",
            "hiệu sách nhỏ gần bến cảng",
            "con đường đi bộ ven sông",
            "triển lãm mới ở bảo tàng",
            "cuốn sách nói về dãy Alps",
        ],
    },
};
