//! Estonian.

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Kohvile {day}?", "Kiire kohv {time}?", "Kohvipaus {day}"],
        leads: &[
            "Kas tuleksid {day} {time} kohvile?",
            "Kas oled {day} {time} kuskil lähedal? Saaksime kiiresti kohvi juua.",
        ],
        follows: &[
            "Kiiret pole, anna lihtsalt teada, mis sulle sobib.",
            "Kuulsin, et {place} tasub proovida {food}.",
            "Kui mõni teine päev sobib paremini, pole ka probleemi.",
        ],
    },
    Topic {
        subjects: &["Lõunale {day}?", "Ühine lõuna {day}", "Varsti lõunale?"],
        leads: &[
            "Kas lähme {day} koos lõunale?",
            "Mul on {day} lõpuks natuke aega, ühine lõuna oleks tore.",
        ],
        follows: &[
            "Kolleeg soovitas {place} proovida {food}.",
            "Võiksime kohtuda {time}, kui see sulle sobib.",
            "Anna teada, siis broneerin laua.",
        ],
    },
    Topic {
        subjects: &[
            "Pärast meie koosolekut",
            "Märkmed {project}",
            "Veel kord {project}",
        ],
        leads: &[
            "Aitäh veel kord, et rääkisime {project} nii põhjalikult.",
            "Vaatasin hommikul üle oma märkmed {project}.",
        ],
        follows: &[
            "Kas leiaksime {day} pool tundi, et järgmised sammud kokku leppida?",
            "Usun, et oleme graafikus, lahtised on veel vaid mõned pisiasjad.",
            "Anna teada, kui jäi midagi olulist märkamata.",
        ],
    },
    Topic {
        subjects: &[
            "Lühike küsimus {project}",
            "Väike küsimus",
            "Uudiseid {project}?",
        ],
        leads: &[
            "Kas sul on uudiseid {project}?",
            "Mul oleks lühike küsimus {project}.",
        ],
        follows: &[
            "Tahan lihtsalt kindel olla, et me sama tööd kaks korda ei tee.",
            "Võime sellest ka {day} rääkida, kui nii on lihtsam.",
        ],
    },
    Topic {
        subjects: &["Suur aitäh!", "Väike tänu", "Aitäh abi eest"],
        leads: &[
            "Suur aitäh sulle eelmise nädala abi eest.",
            "Aitäh, et leidsid aega mind aidata.",
        ],
        follows: &[
            "Sellest oli tõesti palju kasu.",
            "Olen sulle kohvi võlgu, äkki {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Kuidas nädalavahetus läks?",
            "Nädalavahetuse uudised",
            "Rahulik nädalavahetus",
        ],
        leads: &[
            "Kuidas su nädalavahetus möödus?",
            "Loodan, et said nädalavahetusel hästi puhata.",
        ],
        follows: &[
            "Laupäeval {activity} ja see oli täpselt see, mida vajasin.",
            "Meil oli tore nädalavahetus: {activity} ja pärast magasin väga hästi.",
        ],
    },
    Topic {
        subjects: &[
            "Kas tead {item}?",
            "Üks soovitus sulle",
            "Midagi nädalavahetuseks",
        ],
        leads: &[
            "Kas sa tead juba {item}?",
            "Kolleeg kiitis väga {item} ja mulle meeldis kohe.",
        ],
        follows: &[
            "Usun, et see meeldiks sulle.",
            "Anna kindlasti teada, mida arvad.",
            "Võime sellest {day} lõuna ajal rääkida.",
        ],
    },
    Topic {
        subjects: &["Lühike kõne {day}?", "Helistame {day}?", "Aeg rääkimiseks"],
        leads: &[
            "Kas sul oleks {day} veerand tundi lühikese kõne jaoks?",
            "Kas saaksime {day} korraks helistada?",
        ],
        follows: &[
            "Midagi kiiret pole, tahan lihtsalt kuulda, kuidas läheb.",
            "Kas {time} sobiks sulle?",
            "See võtab vaid paar minutit, luban.",
        ],
    },
    Topic {
        subjects: &["Pole ammu kuulnud", "Kuidas läheb?", "Kas kohtume varsti?"],
        leads: &[
            "Me pole juba tükk aega rääkinud.",
            "Mõtlesin, kuidas sul viimasel ajal läheb.",
        ],
        follows: &[
            "Kas sul on {day} aega? Võiksime kohtuda {place}.",
            "Räägi, kuidas sul läheb.",
        ],
    },
    Topic {
        subjects: &[
            "Väike koosviibimine {day}",
            "Kas tuled {day}?",
            "Väike tähistamine",
        ],
        leads: &[
            "Korraldame {day} väikese koosviibimise {place}.",
            "Mõned meist saavad {day} kokku {place}, et kvartali lõppu tähistada.",
        ],
        follows: &[
            "Räägitakse, et seal tasub proovida {food}.",
            "Oleks tore, kui saaksid läbi astuda, kasvõi pooleks tunniks.",
            "Alustame ilmselt {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Ülevaade {project}",
            "Head uudised {project}",
            "Lühike ülevaade",
        ],
        leads: &[
            "Lühike ülevaade {project}: töö edeneb hästi.",
            "Siin on värsked uudised {project}: sel nädalal jõudsime palju edasi.",
        ],
        follows: &[
            "Räägin üksikasjadest, kui {day} kohtume.",
            "Mõned küsimused on veel lahtised, aga midagi tõsist pole.",
        ],
    },
];

/// The Estonian bank.
pub(crate) const BANK: Bank = Bank {
    code: "et",
    greetings: &[
        "Tere, {to}!",
        "Tere {to},",
        "Hei {to},",
        "Tere hommikust, {to}!",
    ],
    plain_greetings: &["Tere!", "Tere,", "Tere hommikust!", "Tervist!"],
    openers: &[
        "Loodan, et su nädal läheb hästi.",
        "Loodan, et sul on kõik hästi.",
        "Loodan, et sul oli mõnus nädalavahetus.",
        "Oli tore sind hiljuti näha.",
        "Loodan, et sul on nüüd veidi rahulikum.",
    ],
    topics: TOPICS,
    wishes: &[
        "Head nädala jätku!",
        "Ilusat päeva!",
        "Kuulmiseni!",
        "Head nädalavahetust!",
    ],
    signoffs: &[
        "Parimate soovidega,",
        "Tervitades,",
        "Lugupidamisega,",
        "Päikest,",
        "Kõike head,",
    ],
    acks: &[
        "Aitäh sõnumi eest!",
        "Tore sinust kuulda.",
        "Suurepärane, aitäh, et andsid teada.",
        "Aitäh, kõlab hästi.",
    ],
    answers: &[
        "See sobib mulle hästi, teeme nii.",
        "Vaatan kalendrisse ja annan {day} teada.",
        "Olen kindlasti olemas, näeme {day}.",
        "Hea meelega, {time} sobib suurepäraselt.",
        "Ma pole veel jõudnud sellega tegeleda, aga teen seda varsti.",
        "Räägime sellest rahulikult, kui kohtume.",
    ],
    attribution: "{date} kirjutas {name}:",
    attribution_anon: "Algne sõnum, {date}:",
    date_format: "%d.%m.%Y kell %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "esmaspäeval",
            "teisipäeval",
            "kolmapäeval",
            "neljapäeval",
            "reedel",
            "homme",
            "ülehomme",
            "järgmisel nädalal",
        ],
        time: &[
            "hommikupoolikul",
            "kella kümne paiku",
            "lõuna ajal",
            "pärast lõunat",
            "kella kolme paiku",
            "hilisel pärastlõunal",
        ],
        place: &[
            "nurgapealses kohvikus",
            "jaama juures pagariäris",
            "jõeäärses pargis",
            "turu ääres väikeses bistroos",
            "katuseterrassil",
            "kontori kõrval uues söögikohas",
            "muuseumi kohvikus",
        ],
        food: &[
            "õunakooki",
            "päevasuppi",
            "sidrunikooki",
            "köögiviljapirukat",
            "kaneelisaiu",
            "lõhesuppi",
            "porgandikooki",
        ],
        project: &[
            "kvartaliaruandest",
            "uuest kodulehest",
            "sisseelamisjuhendist",
            "eelarve mustandist",
            "kliendiesitlusest",
            "kevadisest uudiskirjast",
            "kontori kolimisest",
            "koolituskavast",
            "meeskonna käsiraamatust",
        ],
        activity: &[
            "käisime metsas matkamas",
            "parandasime lõpuks vana jalgratta ära",
            "veetsime terve päeva järve ääres",
            "proovisime uut leivaretsepti",
            "käisime maal sugulastel külas",
            "käisime väikesel džässikontserdil",
            "värvisime külalistetoa üle",
            "tegime pika jalutuskäigu mere ääres",
        ],
        item: &[
            "seda unest rääkivat podcasti",
            "mesilaste dokumentaalfilmi",
            "uut krimisarja",
            "sadama väikest raamatupoodi",
            "jõeäärset matkarada",
            "uut näitust",
            "Alpidest rääkivat audioraamatut",
        ],
    },
};
