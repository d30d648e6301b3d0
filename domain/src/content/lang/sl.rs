//! Slovenian (informal "ti"; the writer's own past tense is plural, so it fits anyone).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Kava {day}?", "Hitra kava {time}?", "Odmor za kavo {day}"],
        leads: &[
            "Si za kavo {day} {time}?",
            "Boš {day} {time} v bližini? Lahko greva na hitro kavo.",
        ],
        follows: &[
            "Nič ne hiti, samo sporoči, kaj ti ustreza.",
            "Pravijo, da se {place} splača poskusiti {food}.",
            "Če ti bolj ustreza kak drug dan, tudi ni problema.",
        ],
    },
    Topic {
        subjects: &[
            "Kosilo {day}?",
            "Skupno kosilo {day}",
            "Greva kmalu na kosilo?",
        ],
        leads: &[
            "Greva {day} skupaj na kosilo?",
            "Imam {day} končno malo časa, skupno kosilo bi bilo super.",
        ],
        follows: &[
            "Sodelavka priporoča, da {place} poskusiva {food}.",
            "Dobiva se lahko {time}, če ti ustreza.",
            "Sporoči in rezerviram mizo.",
        ],
    },
    Topic {
        subjects: &[
            "Po najinem sestanku",
            "Zapiski glede {project}",
            "Naslednji koraki glede {project}",
        ],
        leads: &[
            "Še enkrat hvala za sestanek glede {project}.",
            "Zjutraj smo še enkrat pregledali zapiske glede {project}.",
        ],
        follows: &[
            "Lahko {day} najdeva pol ure, da se dogovoriva o naslednjih korakih?",
            "Mislim, da smo v načrtu, ostalo je le nekaj malenkosti.",
            "Sporoči, če mi je kaj pomembnega ušlo.",
        ],
    },
    Topic {
        subjects: &[
            "Kratko vprašanje glede {project}",
            "Majhno vprašanje",
            "Kaj je novega glede {project}?",
        ],
        leads: &[
            "Veš, kdo zdaj skrbi za stvari glede {project}?",
            "Imam kratko vprašanje glede {project}.",
        ],
        follows: &[
            "Želim se samo prepričati, da ne delamo istega dela dvakrat.",
            "O tem se lahko pogovoriva tudi {day}, če je lažje.",
        ],
    },
    Topic {
        subjects: &[
            "Najlepša hvala!",
            "Hvala za pomoč",
            "Hvala za pomoč glede {project}",
        ],
        leads: &[
            "Najlepša hvala za pomoč glede {project}.",
            "Hvala za tvoj čas in pomoč pri pregledu.",
        ],
        follows: &["Res je zelo pomagalo.", "Dolgujem ti kavo, mogoče {day}?"],
    },
    Topic {
        subjects: &["Kakšen je bil vikend?", "Novice z vikenda", "Miren vikend"],
        leads: &[
            "Kakšen je bil tvoj vikend?",
            "Upam, da je bil vikend miren in prijeten.",
        ],
        follows: &[
            "Vikend je bil super, {activity} in točno to je bilo potrebno.",
            "Pri nas je bilo lepo: {activity}, potem pa se je odlično spalo.",
        ],
    },
    Topic {
        subjects: &["Poznaš {item}?", "Namig zate", "Nekaj za vikend"],
        leads: &[
            "Poznaš {item}?",
            "Sodelavka mi je priporočila {item} in je res odlično.",
        ],
        follows: &[
            "Mislim, da bi ti bilo všeč.",
            "Sporoči, kaj praviš.",
            "O tem se lahko pogovoriva {day} ob kosilu.",
        ],
    },
    Topic {
        subjects: &[
            "Kratek klic {day}?",
            "Se slišiva {day}?",
            "Trenutek za pogovor",
        ],
        leads: &[
            "Imaš {day} četrt ure za kratek klic?",
            "Se lahko {day} na hitro slišiva po telefonu?",
        ],
        follows: &[
            "Nič nujnega, samo zanima me, kako gre.",
            "Bi ti ustrezalo {time}?",
            "Vzelo bo le nekaj minut, obljubim.",
        ],
    },
    Topic {
        subjects: &["Dolgo ni bilo glasu", "Kako si?", "Se vidiva kmalu?"],
        leads: &[
            "Od najinega zadnjega pogovora je minilo že nekaj časa.",
            "Sprašujem se, kako ti gre v zadnjem času.",
        ],
        follows: &[
            "Imaš čas {day}? Lahko se dobiva {place}.",
            "Povej, kako si kaj.",
        ],
    },
    Topic {
        subjects: &[
            "Majhno druženje {day}",
            "Se nam pridružiš {day}?",
            "Majhno praznovanje",
        ],
        leads: &[
            "Pripravljamo majhno druženje {place} {day}.",
            "Nekaj nas se dobi {day} {place}, da proslavimo konec četrtletja.",
        ],
        follows: &[
            "Pravijo, da se tam splača poskusiti {food}.",
            "Lepo bi te bilo videti tam, vsaj za pol ure.",
            "Začnemo verjetno {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Novice glede {project}",
            "Dobre novice glede {project}",
            "Kratka posodobitev",
        ],
        leads: &[
            "Kratka posodobitev glede {project}: vse gre dobro.",
            "Dobre novice glede {project}: ta teden smo se lepo premaknili naprej.",
        ],
        follows: &[
            "Podrobnosti ti povem, ko se vidiva {day}.",
            "Nekaj odprtih vprašanj še ostaja, a nič resnega.",
        ],
    },
];

/// The Slovenian bank.
pub(crate) const BANK: Bank = Bank {
    code: "sl",
    greetings: &[
        "Živjo {to},",
        "Zdravo {to},",
        "Dobro jutro, {to},",
        "Živjo {to}!",
    ],
    plain_greetings: &["Živjo,", "Pozdravljeni,", "Dobro jutro,", "Zdravo,"],
    openers: &[
        "Upam, da ti teden lepo teče.",
        "Upam, da si dobro.",
        "Upam, da je bil vikend prijeten.",
        "Lepo te je bilo videti pred kratkim.",
        "Upam, da je pri tebi zdaj malo bolj mirno.",
    ],
    topics: TOPICS,
    wishes: &[
        "Lep teden!",
        "Lepo se imej.",
        "Se slišimo kmalu.",
        "Lep vikend!",
    ],
    signoffs: &[
        "Lep pozdrav,",
        "Lp,",
        "Hvala in lep pozdrav,",
        "Vse dobro,",
        "Pozdrav,",
    ],
    acks: &[
        "Hvala za sporočilo!",
        "Lepo, da se oglašaš.",
        "Super, hvala za informacijo.",
        "Hvala, sliši se dobro.",
    ],
    answers: &[
        "Meni ustreza, kar tako naredimo.",
        "Pogledam v koledar in se oglasim {day}.",
        "Zmenjeno, se vidimo {day}.",
        "Z veseljem, {time} mi odlično ustreza.",
        "Zaenkrat še ni bilo časa za to, a pride na vrsto kmalu.",
        "Pogovorimo se v miru, ko se vidimo.",
    ],
    attribution: "{date} je {name} napisal(a):",
    attribution_anon: "Izvirno sporočilo z dne {date}:",
    date_format: "%-d. %-m. %Y ob %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "v ponedeljek",
            "v torek",
            "v sredo",
            "v četrtek",
            "v petek",
            "jutri",
            "pojutrišnjem",
            "naslednji teden",
        ],
        time: &[
            "dopoldne",
            "okoli desetih",
            "okoli poldneva",
            "po kosilu",
            "okoli treh",
            "pozno popoldne",
        ],
        place: &[
            "v kavarni na vogalu",
            "v pekarni pri postaji",
            "v parku ob reki",
            "v malem bistroju na trgu",
            "na strešni terasi",
            "v novem lokalu poleg pisarne",
            "v kavarni pri muzeju",
        ],
        food: &[
            "jabolčni zavitek",
            "juho dneva",
            "limonin kolač",
            "zelenjavno pito",
            "cimetove polžke",
            "kremšnito",
            "korenčkovo torto",
        ],
        project: &[
            "četrtletnega poročila",
            "nove spletne strani",
            "priročnika za novince",
            "osnutka proračuna",
            "predstavitve za stranko",
            "pomladnega novičnika",
            "selitve pisarne",
            "načrta izobraževanj",
            "priročnika ekipe",
        ],
        activity: &[
            "bili smo na pohodu v hribih",
            "končno smo popravili staro kolo",
            "ves dan smo preživeli ob jezeru",
            "preizkusili smo nov recept za kruh",
            "obiskali smo sorodnike na podeželju",
            "bili smo na majhnem jazzovskem koncertu",
            "prepleskali smo sobo za goste",
            "šli smo na dolg sprehod ob morju",
        ],
        item: &[
            "tisti podkast o spanju",
            "dokumentarec o čebelah",
            "novo kriminalno serijo",
            "majhno knjigarno ob pristanišču",
            "pot ob reki",
            "novo razstavo v muzeju",
            "zvočno knjigo o Alpah",
        ],
    },
};
