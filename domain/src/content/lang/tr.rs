//! Turkish (informal "sen").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kahve molası: {day}?",
            "Hızlı bir kahve {time}?",
            "Bir kahve içelim mi?",
        ],
        leads: &[
            "Sence {day} {time} bir kahve içebilir miyiz?",
            "Acaba {day} {time} buralarda olacak mısın? Hızlıca bir kahve içebiliriz.",
        ],
        follows: &[
            "Acelesi yok, sana ne uyarsa söylemen yeterli.",
            "Duyduğuma göre {place} {food} mutlaka denemek lazım.",
            "Başka bir gün daha uygunsa hiç sorun değil.",
        ],
    },
    Topic {
        subjects: &[
            "Öğle yemeği: {day}?",
            "Birlikte öğle yemeği?",
            "Yakında öğle yemeği?",
        ],
        leads: &[
            "Ne dersin, {day} birlikte öğle yemeği yiyelim mi?",
            "Nihayet {day} biraz vaktim var, birlikte öğle yemeği harika olur.",
        ],
        follows: &[
            "Bir iş arkadaşım {place} {food} denememizi öneriyor.",
            "Sana uyarsa {time} buluşabiliriz.",
            "Haber ver, ben de bir masa ayırtayım.",
        ],
    },
    Topic {
        subjects: &[
            "Toplantımızdan sonra",
            "Notlar: {project}",
            "Sonraki adımlar: {project}",
        ],
        leads: &[
            "Toplantı için tekrar teşekkürler, özellikle {project} konusunda.",
            "Bu sabah {project} ile ilgili notlarımı yeniden gözden geçirdim.",
        ],
        follows: &[
            "Sonraki adımları konuşmak için {day} yarım saat bulabilir miyiz?",
            "Bence plana uygun gidiyoruz, sadece birkaç küçük ayrıntı kaldı.",
            "Önemli bir şeyi atladıysam haber ver.",
        ],
    },
    Topic {
        subjects: &[
            "Kısa bir soru: {project}",
            "Küçük bir soru",
            "Yeni bir şey var mı?",
        ],
        leads: &[
            "Şu sıralar {project} ile kimin ilgilendiğini biliyor musun?",
            "Aklıma {project} hakkında kısa bir soru takıldı.",
        ],
        follows: &[
            "Sadece aynı işi iki kez yapmadığımızdan emin olmak istiyorum.",
            "Daha kolay olursa bunu {day} konuşabiliriz.",
        ],
    },
    Topic {
        subjects: &[
            "Çok teşekkürler!",
            "Yardımın için teşekkürler",
            "Teşekkürler: {project}",
        ],
        leads: &[
            "Bu hafta {project} konusundaki yardımın için çok teşekkür ederim.",
            "Vakit ayırıp benimle birlikte üzerinden geçtiğin için teşekkürler.",
        ],
        follows: &[
            "Gerçekten çok işime yaradı.",
            "Sana bir kahve borçluyum, belki {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Hafta sonun nasıldı?",
            "Hafta sonundan haberler",
            "Sakin bir hafta sonu",
        ],
        leads: &[
            "Hafta sonun nasıl geçti?",
            "Umarım hafta sonu sakin ve keyifli geçmiştir.",
        ],
        follows: &[
            "Cumartesi {activity}, tam da ihtiyacım olan şeydi.",
            "Bizim hafta sonu çok güzeldi: {activity}, sonra da mışıl mışıl uyudum.",
        ],
    },
    Topic {
        subjects: &[
            "Bir önerim var",
            "Senin için bir tavsiye",
            "Hafta sonu için bir fikir",
        ],
        leads: &[
            "Acaba {item} duydun mu?",
            "Bir iş arkadaşım {item} önerdi ve gerçekten çok beğendim.",
        ],
        follows: &[
            "Bence senin de hoşuna gider.",
            "Ne düşündüğünü bana yaz.",
            "Bunu {day} öğle yemeğinde konuşabiliriz.",
        ],
    },
    Topic {
        subjects: &[
            "Kısa bir görüşme: {day}?",
            "Telefonda konuşalım mı?",
            "Biraz sohbet için zaman",
        ],
        leads: &[
            "Acaba {day} kısa bir telefon görüşmesi için on beş dakikan olur mu?",
            "Ne dersin, {day} kısaca telefonda konuşabilir miyiz?",
        ],
        follows: &[
            "Acil bir şey yok, sadece işlerin nasıl gittiğini merak ediyorum.",
            "Sana {time} uyar mı?",
            "Sadece birkaç dakika sürecek, söz.",
        ],
    },
    Topic {
        subjects: &["Uzun zaman oldu", "Sen nasılsın?", "Yakında görüşelim mi?"],
        leads: &[
            "Son konuşmamızın üzerinden epey zaman geçti.",
            "Son zamanlarda nasıl olduğunu merak ettim.",
        ],
        follows: &[
            "Acaba {day} vaktin var mı? İstersen {place} buluşabiliriz.",
            "Anlat bakalım, neler yapıyorsun?",
        ],
    },
    Topic {
        subjects: &[
            "Küçük bir buluşma: {day}",
            "Sen de gelir misin?",
            "Küçük bir kutlama",
        ],
        leads: &[
            "Bu arada {day} {place} küçük bir buluşma ayarlıyoruz.",
            "Çeyrek sonunu kutlamak için {day} {place} birkaç kişi toplanıyoruz.",
        ],
        follows: &[
            "Söylenene göre orada {food} mutlaka denemek lazım.",
            "Yarım saatliğine de olsa gelebilirsen çok güzel olur.",
            "Muhtemelen {time} başlıyoruz.",
        ],
    },
    Topic {
        subjects: &[
            "Güncelleme: {project}",
            "İyi haberler: {project}",
            "Kısa bir güncelleme",
        ],
        leads: &[
            "Kısa bir güncelleme: {project} tarafında her şey yolunda.",
            "İyi haber: bu hafta {project} konusunda epey ilerledik.",
        ],
        follows: &[
            "Ayrıntıları {day} görüştüğümüzde anlatırım.",
            "Birkaç açık soru kaldı ama ciddi bir şey yok.",
        ],
    },
];

/// The Turkish bank.
pub(crate) const BANK: Bank = Bank {
    code: "tr",
    greetings: &[
        "Merhaba {to},",
        "Selam {to},",
        "Günaydın {to},",
        "Merhaba {to}!",
    ],
    plain_greetings: &["Merhaba,", "Selam,", "Günaydın,", "Herkese merhaba,"],
    openers: &[
        "Umarım haftan iyi geçiyordur.",
        "Umarım her şey yolundadır.",
        "Umarım güzel bir hafta sonu geçirmişsindir.",
        "Geçen gün seni görmek çok güzeldi.",
        "Umarım şu sıralar biraz daha sakindir.",
    ],
    topics: TOPICS,
    wishes: &[
        "İyi haftalar!",
        "İyi günler.",
        "Görüşmek üzere.",
        "İyi hafta sonları!",
    ],
    signoffs: &[
        "Sevgiler,",
        "Selamlar,",
        "Teşekkürler ve görüşmek üzere,",
        "Kolay gelsin,",
        "Saygılar,",
    ],
    acks: &[
        "Mesajın için teşekkürler!",
        "Senden haber almak güzel.",
        "Harika, haber verdiğin için teşekkürler.",
        "Teşekkürler, kulağa hoş geliyor.",
    ],
    answers: &[
        "Bana uyar, öyle yapalım.",
        "Takvimime bakıp {day} sana yazarım.",
        "Anlaştık, {day} görüşürüz.",
        "Memnuniyetle, {time} harika olur.",
        "Henüz bakma fırsatım olmadı ama yakında bakacağım.",
        "Görüştüğümüzde bunu rahat rahat konuşalım.",
    ],
    attribution: "{date} tarihinde {name} şunu yazdı:",
    attribution_anon: "Özgün ileti, {date}:",
    date_format: "%d.%m.%Y %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "pazartesi",
            "salı",
            "çarşamba",
            "perşembe",
            "cuma",
            "yarın",
            "öbür gün",
            "haftaya",
        ],
        time: &[
            "sabah",
            "saat on gibi",
            "öğle saatinde",
            "öğle yemeğinden sonra",
            "saat üç gibi",
            "akşama doğru",
        ],
        place: &[
            "köşedeki kafede",
            "istasyonun yanındaki fırında",
            "nehir kenarındaki parkta",
            "meydandaki küçük bistroda",
            "çatı terasında",
            "ofisin yanındaki yeni mekanda",
            "müzenin kafesinde",
        ],
        food: &[
            "elmalı turtayı",
            "günün çorbasını",
            "limonlu keki",
            "sebzeli tartı",
            "tarçınlı çörekleri",
            "mercimek çorbasını",
            "havuçlu pastayı",
        ],
        project: &[
            "çeyrek raporu",
            "yeni web sitesi",
            "yeni başlayanlar rehberi",
            "bütçe taslağı",
            "müşteri sunumu",
            "bahar bülteni",
            "ofis taşınması",
            "eğitim planı",
            "ekip el kitabı",
        ],
        activity: &[
            "dağda yürüyüşe çıktık",
            "sonunda eski bisikleti tamir ettik",
            "bütün günü gölde geçirdik",
            "yeni bir ekmek tarifi denedik",
            "köydeki akrabaları ziyaret ettik",
            "küçük bir caz konserine gittik",
            "misafir odasını boyadık",
            "deniz kenarında uzun bir yürüyüş yaptık",
        ],
        item: &[
            "uyku hakkındaki o podcast'i",
            "arılarla ilgili belgeseli",
            "yeni polisiye diziyi",
            "limandaki küçük kitapçıyı",
            "nehir boyundaki yürüyüş yolunu",
            "müzedeki yeni sergiyi",
            "Alpler hakkındaki sesli kitabı",
        ],
    },
};
