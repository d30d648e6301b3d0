//! Lithuanian (informal "tu"; no gendered adjectives or participles for writer or reader).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kava {day}?",
            "Greita kava {time}?",
            "Kavos pertrauka {day}",
        ],
        leads: &[
            "Gal išgeriam kavos {day} {time}?",
            "Ar būsi netoliese {day} {time}? Galėtume greitai išgerti kavos.",
        ],
        follows: &[
            "Jokios skubos, tiesiog parašyk, kas tau tinka.",
            "Sako, kad {place} verta paragauti {food}.",
            "Jei kita diena tinka labiau, jokių problemų.",
        ],
    },
    Topic {
        subjects: &[
            "Pietūs {day}?",
            "Pietaujam kartu {day}?",
            "Netrukus pietūs?",
        ],
        leads: &[
            "Gal {day} pietaujam kartu?",
            "Pagaliau {day} turėsiu šiek tiek laiko, būtų smagu kartu papietauti.",
        ],
        follows: &[
            "Kolegė rekomenduoja {place} paragauti {food}.",
            "Galime susitikti {time}, jei tau tinka.",
            "Parašyk, ir aš užsakysiu staliuką.",
        ],
    },
    Topic {
        subjects: &[
            "Po mūsų susitikimo",
            "Užrašai dėl {project}",
            "Tolesni žingsniai dėl {project}",
        ],
        leads: &[
            "Dar kartą ačiū už susitikimą dėl {project}.",
            "Šįryt dar kartą peržiūrėjau užrašus dėl {project}.",
        ],
        follows: &[
            "Ar galėtume {day} rasti pusvalandį ir susitarti dėl tolesnių žingsnių?",
            "Manau, laikomės plano, liko tik kelios smulkmenos.",
            "Parašyk, jei kas nors svarbaus liko nepaminėta.",
        ],
    },
    Topic {
        subjects: &[
            "Trumpas klausimas dėl {project}",
            "Mažas klausimas",
            "Yra naujienų dėl {project}?",
        ],
        leads: &[
            "Ar žinai, kas dabar rūpinasi reikalais dėl {project}?",
            "Turiu trumpą klausimą dėl {project}.",
        ],
        follows: &[
            "Tiesiog noriu įsitikinti, kad nedarome to paties darbo du kartus.",
            "Galime tai aptarti ir {day}, jei taip paprasčiau.",
        ],
    },
    Topic {
        subjects: &[
            "Labai ačiū!",
            "Ačiū už pagalbą",
            "Ačiū už pagalbą dėl {project}",
        ],
        leads: &[
            "Labai ačiū už pagalbą dėl {project}.",
            "Ačiū, kad skyrei laiko ir padėjai viską peržiūrėti.",
        ],
        follows: &["Tai tikrai labai padėjo.", "Kava iš manęs, gal {day}?"],
    },
    Topic {
        subjects: &[
            "Kaip praėjo savaitgalis?",
            "Savaitgalio naujienos",
            "Ramus savaitgalis",
        ],
        leads: &[
            "Kaip praėjo tavo savaitgalis?",
            "Tikiuosi, savaitgalis buvo ramus ir malonus.",
        ],
        follows: &[
            "Šeštadienį {activity}, ir to kaip tik reikėjo.",
            "Pas mus buvo puiku: {activity}, o paskui puikiai išsimiegojau.",
        ],
    },
    Topic {
        subjects: &[
            "Ar žinai {item}?",
            "Rekomendacija tau",
            "Kažkas savaitgaliui",
        ],
        leads: &[
            "Ar jau žinai {item}?",
            "Kolegė rekomendavo {item}, ir tikrai verta.",
        ],
        follows: &[
            "Manau, tau patiktų.",
            "Parašyk, ką manai.",
            "Galime tai aptarti {day} per pietus.",
        ],
    },
    Topic {
        subjects: &[
            "Trumpas skambutis {day}?",
            "Paskambinam {day}?",
            "Laikas pasikalbėti",
        ],
        leads: &[
            "Ar turėsi {day} ketvirtį valandos trumpam skambučiui?",
            "Ar galime {day} trumpai pasikalbėti telefonu?",
        ],
        follows: &[
            "Nieko skubaus, tiesiog įdomu, kaip sekasi.",
            "Ar tau tiktų {time}?",
            "Tai užtruks tik kelias minutes, pažadu.",
        ],
    },
    Topic {
        subjects: &[
            "Seniai nesikalbėjome",
            "Kaip sekasi?",
            "Susitinkam netrukus?",
        ],
        leads: &[
            "Nuo paskutinio mūsų pokalbio praėjo nemažai laiko.",
            "Įdomu, kaip tau sekasi pastaruoju metu.",
        ],
        follows: &[
            "Ar turėsi laiko {day}? Galėtume susitikti {place}.",
            "Papasakok, kaip laikaisi.",
        ],
    },
    Topic {
        subjects: &[
            "Nedidelis susibūrimas {day}",
            "Prisijungsi {day}?",
            "Maža šventė",
        ],
        leads: &[
            "Rengiame nedidelį susibūrimą {place} {day}.",
            "Keli iš mūsų renkamės {day} {place} paminėti ketvirčio pabaigą.",
        ],
        follows: &[
            "Sako, kad ten verta paragauti {food}.",
            "Būtų smagu tave ten pamatyti, bent pusvalandžiui.",
            "Pradėsime turbūt {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Naujienos dėl {project}",
            "Geros naujienos dėl {project}",
            "Trumpas atnaujinimas",
        ],
        leads: &[
            "Trumpas atnaujinimas dėl {project}: viskas klostosi gerai.",
            "Geros naujienos dėl {project}: šią savaitę gerokai pažengėme.",
        ],
        follows: &[
            "Smulkmenas papasakosiu, kai susitiksime {day}.",
            "Liko keli atviri klausimai, bet nieko rimto.",
        ],
    },
];

/// The Lithuanian bank.
pub(crate) const BANK: Bank = Bank {
    code: "lt",
    greetings: &[
        "Labas, {to},",
        "Sveiki, {to}!",
        "Labas rytas, {to},",
        "Labas, {to}!",
    ],
    plain_greetings: &["Labas,", "Sveiki,", "Labas rytas,", "Sveiki visi,"],
    openers: &[
        "Tikiuosi, tavo savaitė sekasi gerai.",
        "Tikiuosi, tau viskas gerai.",
        "Tikiuosi, savaitgalis buvo smagus.",
        "Buvo malonu neseniai pasimatyti.",
        "Tikiuosi, pas tave dabar šiek tiek ramiau.",
    ],
    topics: TOPICS,
    wishes: &[
        "Geros savaitės!",
        "Geros dienos.",
        "Iki greito.",
        "Gero savaitgalio!",
    ],
    signoffs: &[
        "Linkėjimai,",
        "Pagarbiai,",
        "Ačiū ir iki,",
        "Viso gero,",
        "Geriausi linkėjimai,",
    ],
    acks: &[
        "Ačiū už žinutę!",
        "Smagu tave girdėti.",
        "Puiku, ačiū už informaciją.",
        "Ačiū, skamba gerai.",
    ],
    answers: &[
        "Man tinka, taip ir padarykime.",
        "Pažiūrėsiu į kalendorių ir parašysiu {day}.",
        "Sutarta, pasimatysim {day}.",
        "Mielai, {time} tinka puikiai.",
        "Dar neturėjau laiko tuo užsiimti, bet netrukus imsiuosi.",
        "Ramiai aptarkime, kai susitiksime.",
    ],
    attribution: "{date} {name} rašė:",
    attribution_anon: "Pradinė žinutė, {date}:",
    date_format: "%Y-%m-%d %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "pirmadienį",
            "antradienį",
            "trečiadienį",
            "ketvirtadienį",
            "penktadienį",
            "rytoj",
            "poryt",
            "kitą savaitę",
        ],
        time: &[
            "iš ryto",
            "apie dešimtą",
            "per pietus",
            "po pietų",
            "apie trečią",
            "vėlyvą popietę",
        ],
        place: &[
            "kavinėje ant kampo",
            "kepyklėlėje prie stoties",
            "parke prie upės",
            "mažame bistro aikštėje",
            "ant stogo terasos",
            "naujoje vietoje šalia biuro",
            "muziejaus kavinėje",
        ],
        food: &[
            "obuolių pyrago",
            "dienos sriubos",
            "citrininio keksiuko",
            "daržovių apkepo",
            "cinamono bandelių",
            "cepelinų",
            "morkų torto",
        ],
        project: &[
            "ketvirčio ataskaitos",
            "naujos svetainės",
            "naujokų vadovo",
            "biudžeto projekto",
            "pristatymo klientui",
            "pavasario naujienlaiškio",
            "biuro persikraustymo",
            "mokymų plano",
            "komandos žinyno",
        ],
        activity: &[
            "ėjome į žygį miške",
            "pagaliau sutaisėme seną dviratį",
            "visą dieną praleidome prie ežero",
            "išbandėme naują duonos receptą",
            "aplankėme gimines kaime",
            "buvome nedideliame džiazo koncerte",
            "perdažėme svečių kambarį",
            "ilgai vaikštinėjome pajūriu",
        ],
        item: &[
            "tą tinklalaidę apie miegą",
            "dokumentinį filmą apie bites",
            "naują detektyvinį serialą",
            "mažą knygyną prie uosto",
            "taką palei upę",
            "naują parodą muziejuje",
            "audioknygą apie Alpes",
        ],
    },
};
