//! Latvian (informal "tu"; no gendered participles or adjectives for writer or reader).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kafija {day}?",
            "Ātra kafija {time}?",
            "Kafijas pauze {day}",
        ],
        leads: &[
            "Varbūt iedzeram kafiju {day} {time}?",
            "Vai {day} {time} būsi tuvumā? Varētu ātri iedzert kafiju.",
        ],
        follows: &[
            "Nekādas steigas, vienkārši uzraksti, kas tev der.",
            "Runā, ka {place} vērts nogaršot {food}.",
            "Ja cita diena der labāk, nekādu problēmu.",
        ],
    },
    Topic {
        subjects: &[
            "Pusdienas {day}?",
            "Pusdienojam kopā {day}?",
            "Drīzumā pusdienas?",
        ],
        leads: &[
            "Varbūt {day} paēdam pusdienas kopā?",
            "Beidzot {day} man būs mazliet laika, būtu jauki kopā paēst pusdienas.",
        ],
        follows: &[
            "Kolēģe iesaka {place} nogaršot {food}.",
            "Varam satikties {time}, ja tev der.",
            "Uzraksti, un es rezervēšu galdiņu.",
        ],
    },
    Topic {
        subjects: &[
            "Pēc mūsu tikšanās",
            "Piezīmes par {project}",
            "Vēlreiz par {project}",
        ],
        leads: &[
            "Vēlreiz paldies par tikšanos, kurā runājām par {project}.",
            "Šorīt vēlreiz pārskatīju piezīmes par {project}.",
        ],
        follows: &[
            "Vai {day} varētu atrast pusstundu, lai vienotos par nākamajiem soļiem?",
            "Domāju, ka iekļaujamies plānā, palikuši tikai daži sīkumi.",
            "Uzraksti, ja kaut kas svarīgs palika nepieminēts.",
        ],
    },
    Topic {
        subjects: &[
            "Īss jautājums par {project}",
            "Mazs jautājums",
            "Vai ir jaunumi par {project}?",
        ],
        leads: &[
            "Vai zini, kurš tagad atbild par {project}?",
            "Man ir īss jautājums par {project}.",
        ],
        follows: &[
            "Gribu tikai pārliecināties, ka nedarām vienu un to pašu darbu divreiz.",
            "Varam to pārrunāt arī {day}, ja tā ir vienkāršāk.",
        ],
    },
    Topic {
        subjects: &[
            "Liels paldies!",
            "Paldies par palīdzību",
            "Paldies par palīdzību ar {project}",
        ],
        leads: &[
            "Liels paldies par palīdzību ar {project}.",
            "Paldies, ka atradi laiku un palīdzēji visu pārskatīt.",
        ],
        follows: &[
            "Tas tiešām ļoti palīdzēja.",
            "Kafija no manis, varbūt {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Kā pagāja nedēļas nogale?",
            "Nedēļas nogales jaunumi",
            "Mierīga nedēļas nogale",
        ],
        leads: &[
            "Kā tev pagāja nedēļas nogale?",
            "Ceru, ka nedēļas nogale bija mierīga un patīkama.",
        ],
        follows: &[
            "Sestdien {activity}, un tieši to arī vajadzēja.",
            "Mums bija lieliski: {activity}, un pēc tam izgulējos kā sen ne.",
        ],
    },
    Topic {
        subjects: &[
            "Vai zini {item}?",
            "Ieteikums tev",
            "Kaut kas nedēļas nogalei",
        ],
        leads: &[
            "Vai tu jau zini {item}?",
            "Kolēģe ieteica {item}, un tas tiešām ir tā vērts.",
        ],
        follows: &[
            "Domāju, ka tev patiktu.",
            "Uzraksti, ko domā.",
            "Varam to pārrunāt {day} pusdienās.",
        ],
    },
    Topic {
        subjects: &["Īss zvans {day}?", "Sazvanāmies {day}?", "Laiks sarunai"],
        leads: &[
            "Vai tev {day} būtu ceturtdaļstunda īsam zvanam?",
            "Vai varam {day} īsi sazvanīties?",
        ],
        follows: &[
            "Nekas steidzams, vienkārši interesē, kā iet.",
            "Vai tev derētu {time}?",
            "Tas aizņems tikai dažas minūtes, apsolu.",
        ],
    },
    Topic {
        subjects: &["Sen nav runāts", "Kā tev iet?", "Drīz satiekamies?"],
        leads: &[
            "Kopš mūsu pēdējās sarunas pagājis krietns laiks.",
            "Interesanti, kā tev pēdējā laikā klājas.",
        ],
        follows: &[
            "Vai tev {day} būs laiks? Varētu satikties {place}.",
            "Pastāsti, kā tev iet.",
        ],
    },
    Topic {
        subjects: &[
            "Neliela sanākšana {day}",
            "Pievienosies {day}?",
            "Maza ballīte",
        ],
        leads: &[
            "Rīkojam nelielu sanākšanu {place} {day}.",
            "Daži no mums satiekas {day} {place}, lai atzīmētu ceturkšņa beigas.",
        ],
        follows: &[
            "Runā, ka tur vērts nogaršot {food}.",
            "Būtu jauki tevi tur redzēt, kaut vai uz pusstundu.",
            "Sāksim droši vien {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Jaunumi par {project}",
            "Labas ziņas par {project}",
            "Īss atjauninājums",
        ],
        leads: &[
            "Īss atjauninājums par {project}: viss rit labi.",
            "Labas ziņas par {project}: šonedēļ krietni pavirzījāmies uz priekšu.",
        ],
        follows: &[
            "Sīkāk pastāstīšu, kad tiksimies {day}.",
            "Palikuši daži atklāti jautājumi, bet nekas nopietns.",
        ],
    },
];

/// The Latvian bank.
pub(crate) const BANK: Bank = Bank {
    code: "lv",
    greetings: &[
        "Sveiki, {to}!",
        "Čau, {to},",
        "Labrīt, {to}!",
        "Sveiki, {to},",
    ],
    plain_greetings: &["Sveiki!", "Čau,", "Labrīt!", "Sveiki visiem,"],
    openers: &[
        "Ceru, ka tava nedēļa rit labi.",
        "Ceru, ka tev viss ir kārtībā.",
        "Ceru, ka nedēļas nogale bija jauka.",
        "Bija patīkami nesen satikties.",
        "Ceru, ka tev tagad ir mazliet mierīgāk.",
    ],
    topics: TOPICS,
    wishes: &[
        "Jauku nedēļu!",
        "Jauku dienu.",
        "Līdz drīzai.",
        "Jauku nedēļas nogali!",
    ],
    signoffs: &[
        "Ar cieņu,",
        "Sveicieni,",
        "Paldies un uz tikšanos,",
        "Visu labu,",
        "Labākie novēlējumi,",
    ],
    acks: &[
        "Paldies par ziņu!",
        "Prieks no tevis dzirdēt.",
        "Lieliski, paldies par informāciju.",
        "Paldies, izklausās labi.",
    ],
    answers: &[
        "Man der, tā arī darīsim.",
        "Paskatīšos kalendārā un uzrakstīšu {day}.",
        "Norunāts, tiekamies {day}.",
        "Ar prieku, {time} der lieliski.",
        "Vēl nav bijis laika ar to nodarboties, bet drīz ķeršos klāt.",
        "Mierīgi pārrunāsim, kad satiksimies.",
    ],
    attribution: "{date} {name} rakstīja:",
    attribution_anon: "Sākotnējā ziņa, {date}:",
    date_format: "%d.%m.%Y. %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "pirmdien",
            "otrdien",
            "trešdien",
            "ceturtdien",
            "piektdien",
            "rīt",
            "parīt",
            "nākamnedēļ",
        ],
        time: &[
            "no rīta",
            "ap desmitiem",
            "pusdienlaikā",
            "pēc pusdienām",
            "ap trijiem",
            "vēlā pēcpusdienā",
        ],
        place: &[
            "kafejnīcā uz stūra",
            "maiznīcā pie stacijas",
            "parkā pie upes",
            "mazajā bistro laukumā",
            "uz jumta terases",
            "jaunajā vietā blakus birojam",
            "muzeja kafejnīcā",
        ],
        food: &[
            "ābolu pīrāgu",
            "dienas zupu",
            "citronu kēksu",
            "dārzeņu sacepumu",
            "kanēļmaizītes",
            "sklandraušus",
            "burkānu torti",
        ],
        project: &[
            "ceturkšņa pārskatu",
            "jauno mājaslapu",
            "jaunpienācēju ceļvedi",
            "budžeta projektu",
            "prezentāciju klientam",
            "pavasara informatīvo vēstuli",
            "biroja pārcelšanos",
            "apmācību plānu",
            "komandas rokasgrāmatu",
        ],
        activity: &[
            "gājām pārgājienā pa mežu",
            "beidzot salabojām veco riteni",
            "visu dienu pavadījām pie ezera",
            "izmēģinājām jaunu maizes recepti",
            "apciemojām radus laukos",
            "bijām nelielā džeza koncertā",
            "pārkrāsojām viesu istabu",
            "ilgi pastaigājāmies gar jūru",
        ],
        item: &[
            "to aplādi par miegu",
            "dokumentālo filmu par bitēm",
            "jauno detektīvseriālu",
            "mazo grāmatnīcu pie ostas",
            "taku gar upi",
            "jauno izstādi muzejā",
            "audiogrāmatu par Alpiem",
        ],
    },
};
