//! Malay (Malaysian, friendly "saya/awak").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Minum kopi {day}?",
            "Kopi sekejap {time}?",
            "Rehat kopi {day}",
        ],
        leads: &[
            "Awak nak minum kopi bersama {day} {time}?",
            "Awak ada di sekitar pejabat {day} {time}? Kita boleh minum kopi sekejap.",
        ],
        follows: &[
            "Tak perlu tergesa-gesa, beritahu saja masa yang sesuai untuk awak.",
            "Kata orang, {food} {place} memang sedap.",
            "Kalau hari lain lebih sesuai, tiada masalah.",
        ],
    },
    Topic {
        subjects: &[
            "Makan tengah hari {day}?",
            "Makan bersama {day}",
            "Makan tengah hari nanti?",
        ],
        leads: &[
            "Apa kata kita makan tengah hari bersama {day}?",
            "Akhirnya saya ada sedikit masa {day}, seronok kalau kita dapat makan bersama.",
        ],
        follows: &[
            "Rakan sepejabat kata {food} {place} wajib dicuba.",
            "Kita boleh jumpa {time}, kalau awak senang.",
            "Beritahu saja, nanti saya tempah meja.",
        ],
    },
    Topic {
        subjects: &[
            "Selepas mesyuarat kita",
            "Nota tentang {project}",
            "Langkah seterusnya untuk {project}",
        ],
        leads: &[
            "Terima kasih sekali lagi untuk mesyuarat tentang {project}.",
            "Pagi tadi saya baca semula nota tentang {project}.",
        ],
        follows: &[
            "Boleh kita cari masa setengah jam {day} untuk bersetuju tentang langkah seterusnya?",
            "Rasanya kita masih ikut jadual, cuma tinggal beberapa perkara kecil.",
            "Beritahu saya kalau ada perkara penting yang tertinggal.",
        ],
    },
    Topic {
        subjects: &[
            "Soalan ringkas tentang {project}",
            "Satu soalan kecil",
            "Ada berita tentang {project}?",
        ],
        leads: &[
            "Awak tahu siapa yang menguruskan {project} sekarang?",
            "Saya ada satu soalan ringkas tentang {project}.",
        ],
        follows: &[
            "Saya cuma mahu pastikan kita tidak buat kerja yang sama dua kali.",
            "Kita juga boleh bincang {day}, kalau itu lebih mudah.",
        ],
    },
    Topic {
        subjects: &[
            "Terima kasih banyak!",
            "Terima kasih atas bantuan",
            "Terima kasih tentang {project}",
        ],
        leads: &[
            "Terima kasih banyak atas bantuan awak dengan {project}.",
            "Terima kasih kerana meluangkan masa untuk membincangkannya bersama saya.",
        ],
        follows: &[
            "Ia betul-betul sangat membantu.",
            "Saya belanja kopi, mungkin {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Bagaimana hujung minggu awak?",
            "Cerita hujung minggu",
            "Hujung minggu yang tenang",
        ],
        leads: &[
            "Bagaimana hujung minggu awak?",
            "Harap hujung minggu awak tenang dan menyeronokkan.",
        ],
        follows: &[
            "Hari Sabtu kami {activity}, dan itulah yang saya perlukan.",
            "Hujung minggu kami seronok: kami {activity}, kemudian saya tidur dengan lena.",
        ],
    },
    Topic {
        subjects: &[
            "Sudah tahu tentang {item}?",
            "Cadangan untuk awak",
            "Idea untuk hujung minggu",
        ],
        leads: &[
            "Awak sudah tahu tentang {item}?",
            "Rakan sepejabat mencadangkan {item} dan memang bagus.",
        ],
        follows: &[
            "Rasanya awak pun akan suka.",
            "Beritahu saya pendapat awak, ya.",
            "Kita boleh berbual tentangnya semasa makan tengah hari {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Panggilan ringkas {day}?",
            "Berbual {day}?",
            "Masa untuk berbual",
        ],
        leads: &[
            "Awak ada lima belas minit {day} untuk panggilan ringkas?",
            "Boleh kita bercakap sekejap di telefon {day}?",
        ],
        follows: &[
            "Tiada yang mendesak, saya cuma nak tahu perkembangannya.",
            "Adakah {time} sesuai untuk awak?",
            "Ambil beberapa minit sahaja, saya janji.",
        ],
    },
    Topic {
        subjects: &["Lama tak berbual", "Apa khabar?", "Jumpa tidak lama lagi?"],
        leads: &[
            "Sudah lama kita tidak berbual.",
            "Saya tertanya-tanya apa khabar awak sejak kebelakangan ini.",
        ],
        follows: &[
            "Awak ada masa {day}? Kita boleh berjumpa {place}.",
            "Ceritalah sedikit tentang perkembangan awak.",
        ],
    },
    Topic {
        subjects: &[
            "Perjumpaan kecil {day}",
            "Nak ikut {day}?",
            "Sambutan kecil",
        ],
        leads: &[
            "Kami mengadakan perjumpaan kecil {place} {day}.",
            "Beberapa orang daripada kami berkumpul {day} {place} untuk meraikan hujung suku tahun.",
        ],
        follows: &[
            "Kata orang, {food} di sana wajib dicuba.",
            "Seronok kalau awak dapat singgah, walaupun setengah jam.",
            "Kami mungkin mula {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Berita terkini tentang {project}",
            "Berita baik tentang {project}",
            "Kemas kini ringkas",
        ],
        leads: &[
            "Kemas kini ringkas tentang {project}: semuanya berjalan lancar.",
            "Berita baik tentang {project}: minggu ini kami maju dengan agak jauh.",
        ],
        follows: &[
            "Butirannya saya cerita bila kita jumpa {day}.",
            "Masih ada beberapa soalan terbuka, tetapi tiada yang serius.",
        ],
    },
];

/// The Malay bank.
pub(crate) const BANK: Bank = Bank {
    code: "ms",
    greetings: &[
        "Hai {to},",
        "Helo {to},",
        "Selamat pagi, {to},",
        "Salam {to},",
    ],
    plain_greetings: &["Hai,", "Helo,", "Selamat pagi,", "Salam semua,"],
    openers: &[
        "Harap minggu awak berjalan lancar.",
        "Harap awak sihat dan baik-baik sahaja.",
        "Harap hujung minggu awak menyeronokkan.",
        "Seronok dapat berjumpa awak tempoh hari.",
        "Harap keadaan di tempat awak lebih tenang sekarang.",
    ],
    topics: TOPICS,
    wishes: &[
        "Selamat menjalani minggu ini!",
        "Semoga hari awak menyenangkan.",
        "Jumpa lagi.",
        "Selamat berhujung minggu!",
    ],
    signoffs: &[
        "Salam,",
        "Salam mesra,",
        "Terima kasih dan salam,",
        "Jumpa lagi,",
        "Yang benar,",
    ],
    acks: &[
        "Terima kasih atas mesej awak!",
        "Gembira mendengar khabar daripada awak.",
        "Bagus, terima kasih kerana memaklumkan.",
        "Terima kasih, bunyinya baik.",
    ],
    answers: &[
        "Saya setuju, kita buat begitu.",
        "Saya semak kalendar dulu dan beritahu awak {day}.",
        "Baik, jumpa {day}.",
        "Dengan senang hati, {time} memang sesuai.",
        "Saya belum sempat melihatnya, tetapi akan segera.",
        "Kita bincang dengan tenang bila berjumpa nanti.",
    ],
    attribution: "Pada {date}, {name} menulis:",
    attribution_anon: "Mesej asal, {date}:",
    date_format: "%d/%m/%Y pukul %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "hari Isnin",
            "hari Selasa",
            "hari Rabu",
            "hari Khamis",
            "hari Jumaat",
            "esok",
            "lusa",
            "minggu depan",
        ],
        time: &[
            "waktu pagi",
            "sekitar pukul sepuluh",
            "waktu makan tengah hari",
            "selepas makan tengah hari",
            "sekitar pukul tiga",
            "lewat petang",
        ],
        place: &[
            "di kafe di simpang jalan",
            "di kedai roti dekat stesen",
            "di taman tepi sungai",
            "di bistro kecil di dataran",
            "di teres atas bumbung",
            "di tempat baharu sebelah pejabat",
            "di kafe muzium",
        ],
        food: &[
            "pai epal",
            "sup harian",
            "kek lemon",
            "quiche sayur",
            "roti kayu manis",
            "nasi lemak",
            "kek lobak merah",
        ],
        project: &[
            "laporan suku tahunan",
            "laman web baharu",
            "panduan pekerja baharu",
            "draf bajet",
            "pembentangan untuk pelanggan",
            "buletin bulanan",
            "perpindahan pejabat",
            "jadual latihan",
            "buku panduan pasukan",
        ],
        activity: &[
            "mendaki bukit",
            "akhirnya membaiki basikal lama",
            "seharian di tepi tasik",
            "mencuba resipi roti baharu",
            "melawat keluarga di kampung",
            "menonton konsert jazz kecil",
            "mengecat bilik tetamu",
            "berjalan lama di tepi pantai",
        ],
        item: &[
            "podcast tentang tidur itu",
            "dokumentari tentang lebah",
            "siri penyiasatan yang baharu",
            "kedai buku kecil dekat pelabuhan",
            "laluan pejalan kaki tepi sungai",
            "pameran baharu di muzium",
            "buku audio tentang Alps",
        ],
    },
};
