//! Indonesian (friendly "aku/kamu").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Ngopi {day}?", "Ngopi sebentar {time}?", "Rehat kopi {day}"],
        leads: &[
            "Mau ngopi bareng {day} {time}?",
            "Kamu ada di sekitar kantor {day} {time}? Kita bisa minum kopi sebentar.",
        ],
        follows: &[
            "Nggak buru-buru, kabari saja waktu yang cocok buat kamu.",
            "Katanya {food} {place} enak sekali.",
            "Kalau hari lain lebih pas, juga tidak masalah.",
        ],
    },
    Topic {
        subjects: &[
            "Makan siang {day}?",
            "Makan siang bareng {day}",
            "Makan siang kapan-kapan?",
        ],
        leads: &[
            "Bagaimana kalau kita makan siang bareng {day}?",
            "Akhirnya aku punya sedikit waktu {day}, makan siang bareng pasti seru.",
        ],
        follows: &[
            "Teman kantor bilang {food} {place} wajib dicoba.",
            "Kita bisa ketemu {time}, kalau kamu bisa.",
            "Kabari saja, nanti aku pesan meja.",
        ],
    },
    Topic {
        subjects: &[
            "Setelah rapat kita",
            "Catatan soal {project}",
            "Langkah berikutnya untuk {project}",
        ],
        leads: &[
            "Terima kasih lagi untuk rapat soal {project}.",
            "Tadi pagi aku membaca ulang catatan tentang {project}.",
        ],
        follows: &[
            "Bisakah kita cari waktu setengah jam {day} untuk menyepakati langkah berikutnya?",
            "Sepertinya kita masih sesuai jadwal, tinggal beberapa hal kecil.",
            "Kabari aku kalau ada yang penting yang terlewat.",
        ],
    },
    Topic {
        subjects: &[
            "Pertanyaan singkat soal {project}",
            "Pertanyaan kecil",
            "Ada kabar soal {project}?",
        ],
        leads: &[
            "Kamu tahu siapa yang sekarang mengurus {project}?",
            "Aku punya pertanyaan singkat tentang {project}.",
        ],
        follows: &[
            "Aku cuma ingin memastikan kita tidak mengerjakan hal yang sama dua kali.",
            "Kita juga bisa membahasnya {day}, kalau itu lebih mudah.",
        ],
    },
    Topic {
        subjects: &[
            "Terima kasih banyak!",
            "Makasih atas bantuannya",
            "Makasih soal {project}",
        ],
        leads: &[
            "Terima kasih banyak atas bantuanmu dengan {project}.",
            "Makasih sudah meluangkan waktu untuk membahasnya bersamaku.",
        ],
        follows: &[
            "Itu benar-benar sangat membantu.",
            "Aku traktir kopi ya, mungkin {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Bagaimana akhir pekanmu?",
            "Cerita akhir pekan",
            "Akhir pekan yang tenang",
        ],
        leads: &[
            "Bagaimana akhir pekanmu?",
            "Semoga akhir pekanmu tenang dan menyenangkan.",
        ],
        follows: &[
            "Hari Sabtu kami {activity}, dan itu yang aku butuhkan.",
            "Akhir pekan kami seru: kami {activity}, lalu aku tidur nyenyak sekali.",
        ],
    },
    Topic {
        subjects: &[
            "Sudah tahu {item}?",
            "Rekomendasi buat kamu",
            "Ide untuk akhir pekan",
        ],
        leads: &[
            "Kamu sudah tahu {item}?",
            "Teman kantor merekomendasikan {item} dan ternyata bagus sekali.",
        ],
        follows: &[
            "Sepertinya kamu bakal suka.",
            "Kabari aku pendapatmu, ya.",
            "Kita bisa ngobrol soal itu waktu makan siang {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Telepon sebentar {day}?",
            "Ngobrol {day}?",
            "Waktu untuk ngobrol",
        ],
        leads: &[
            "Kamu ada waktu lima belas menit {day} untuk telepon sebentar?",
            "Bisakah kita teleponan sebentar {day}?",
        ],
        follows: &[
            "Tidak ada yang mendesak, aku cuma ingin tahu kabarnya.",
            "Apakah {time} cocok untukmu?",
            "Cuma beberapa menit saja, janji.",
        ],
    },
    Topic {
        subjects: &[
            "Lama tidak ngobrol",
            "Apa kabar?",
            "Ketemu dalam waktu dekat?",
        ],
        leads: &[
            "Sudah lama sekali kita tidak ngobrol.",
            "Aku penasaran bagaimana kabarmu belakangan ini.",
        ],
        follows: &[
            "Kamu ada waktu {day}? Kita bisa ketemu {place}.",
            "Ceritakan dong kabarmu.",
        ],
    },
    Topic {
        subjects: &["Kumpul-kumpul kecil {day}", "Ikut {day}?", "Perayaan kecil"],
        leads: &[
            "Kami mengadakan kumpul-kumpul kecil {place} {day}.",
            "Beberapa dari kami kumpul {day} {place} untuk merayakan akhir kuartal.",
        ],
        follows: &[
            "Katanya {food} di sana wajib dicoba.",
            "Senang sekali kalau kamu bisa mampir, walau hanya setengah jam.",
            "Kami mungkin mulai {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Kabar terbaru soal {project}",
            "Kabar baik soal {project}",
            "Pembaruan singkat",
        ],
        leads: &[
            "Pembaruan singkat soal {project}: semuanya berjalan lancar.",
            "Kabar baik soal {project}: minggu ini kami maju cukup jauh.",
        ],
        follows: &[
            "Detailnya aku ceritakan waktu kita ketemu {day}.",
            "Masih ada beberapa pertanyaan terbuka, tapi tidak ada yang serius.",
        ],
    },
];

/// The Indonesian bank.
pub(crate) const BANK: Bank = Bank {
    code: "id",
    greetings: &[
        "Hai {to},",
        "Halo {to},",
        "Selamat pagi, {to},",
        "Halo {to}!",
    ],
    plain_greetings: &["Hai,", "Halo,", "Selamat pagi,", "Halo semuanya,"],
    openers: &[
        "Semoga minggumu berjalan lancar.",
        "Semoga kamu baik-baik saja.",
        "Semoga akhir pekanmu menyenangkan.",
        "Senang sekali bisa ketemu kamu kemarin.",
        "Semoga sekarang suasananya sedikit lebih tenang di tempatmu.",
    ],
    topics: TOPICS,
    wishes: &[
        "Selamat menjalani minggu ini!",
        "Semoga harimu menyenangkan.",
        "Sampai nanti.",
        "Selamat berakhir pekan!",
    ],
    signoffs: &[
        "Salam,",
        "Salam hangat,",
        "Terima kasih dan salam,",
        "Sampai jumpa,",
        "Sukses selalu,",
    ],
    acks: &[
        "Makasih untuk pesannya!",
        "Senang dapat kabar darimu.",
        "Mantap, terima kasih sudah mengabari.",
        "Makasih, kedengarannya bagus.",
    ],
    answers: &[
        "Aku setuju, kita lakukan begitu saja.",
        "Aku cek kalender dulu dan kabari kamu {day}.",
        "Oke, sampai ketemu {day}.",
        "Dengan senang hati, {time} pas sekali.",
        "Aku belum sempat melihatnya, tapi akan segera.",
        "Kita bahas dengan santai waktu ketemu nanti.",
    ],
    attribution: "Pada {date}, {name} menulis:",
    attribution_anon: "Pesan asli, {date}:",
    date_format: "%d/%m/%Y pukul %H.%M",
    space: " ",
    slots: Slots {
        day: &[
            "hari Senin",
            "hari Selasa",
            "hari Rabu",
            "hari Kamis",
            "hari Jumat",
            "besok",
            "lusa",
            "minggu depan",
        ],
        time: &[
            "pagi-pagi",
            "sekitar jam sepuluh",
            "sekitar jam makan siang",
            "setelah makan siang",
            "sekitar jam tiga",
            "menjelang sore",
        ],
        place: &[
            "di kafe di pojok jalan",
            "di toko roti dekat stasiun",
            "di taman tepi sungai",
            "di bistro kecil di alun-alun",
            "di teras atap",
            "di tempat baru sebelah kantor",
            "di kafe museum",
        ],
        food: &[
            "pai apel",
            "sup hari ini",
            "kue lemon",
            "quiche sayur",
            "roti kayu manis",
            "soto ayam",
            "kue wortel",
        ],
        project: &[
            "laporan kuartalan",
            "situs web baru",
            "panduan karyawan baru",
            "draf anggaran",
            "presentasi untuk klien",
            "buletin bulanan",
            "pindahan kantor",
            "jadwal pelatihan",
            "buku panduan tim",
        ],
        activity: &[
            "mendaki bukit",
            "akhirnya memperbaiki sepeda lama",
            "seharian di tepi danau",
            "mencoba resep roti baru",
            "mengunjungi keluarga di kampung",
            "menonton konser jazz kecil",
            "mengecat kamar tamu",
            "berjalan-jalan lama di pantai",
        ],
        item: &[
            "podcast tentang tidur itu",
            "film dokumenter tentang lebah",
            "serial detektif yang baru",
            "toko buku kecil dekat pelabuhan",
            "jalur jalan kaki tepi sungai",
            "pameran baru di museum",
            "buku audio tentang Alpen",
        ],
    },
};
