//! Slovak (informal "ty"; the writer's own past tense is plural, so it fits anyone).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Káva {day}?",
            "Rýchla káva {time}?",
            "Prestávka na kávu {day}",
        ],
        leads: &[
            "Máš chuť zájsť na kávu {day} {time}?",
            "Budeš {day} {time} nablízku? Mohli by sme si dať rýchlu kávu.",
        ],
        follows: &[
            "Žiadny zhon, daj vedieť, čo ti vyhovuje.",
            "Vraj sa oplatí {place} ochutnať {food}.",
            "Ak ti viac vyhovuje iný deň, nie je to problém.",
        ],
    },
    Topic {
        subjects: &[
            "Obed {day}?",
            "Spoločný obed {day}",
            "Zájdeme čoskoro na obed?",
        ],
        leads: &[
            "Zájdeme {day} spolu na obed?",
            "Mám {day} konečne trochu času, spoločný obed by bol fajn.",
        ],
        follows: &[
            "Kolegyňa odporúča {place} ochutnať {food}.",
            "Môžeme sa stretnúť {time}, ak ti to vyhovuje.",
            "Daj vedieť a ja zarezervujem stôl.",
        ],
    },
    Topic {
        subjects: &[
            "Po našom stretnutí",
            "Poznámky ohľadom {project}",
            "Ďalšie kroky ohľadom {project}",
        ],
        leads: &[
            "Ešte raz vďaka za stretnutie ohľadom {project}.",
            "Ráno sme si ešte raz prešli poznámky ohľadom {project}.",
        ],
        follows: &[
            "Nájdeme si {day} pol hodiny, aby sme sa dohodli na ďalších krokoch?",
            "Myslím, že sme v pláne, zostáva len pár drobností.",
            "Daj vedieť, ak mi niečo dôležité ušlo.",
        ],
    },
    Topic {
        subjects: &[
            "Krátka otázka ohľadom {project}",
            "Malá otázka",
            "Čo nové ohľadom {project}?",
        ],
        leads: &[
            "Nevieš, kto sa teraz stará o veci ohľadom {project}?",
            "Mám krátku otázku ohľadom {project}.",
        ],
        follows: &[
            "Chcem len mať istotu, že nerobíme tú istú prácu dvakrát.",
            "Môžeme to prebrať aj {day}, ak to bude jednoduchšie.",
        ],
    },
    Topic {
        subjects: &[
            "Veľká vďaka!",
            "Vďaka za pomoc",
            "Vďaka za pomoc ohľadom {project}",
        ],
        leads: &[
            "Veľmi pekne ďakujem za pomoc ohľadom {project}.",
            "Vďaka za tvoj čas a za to, že sme to mohli prejsť spolu.",
        ],
        follows: &["Naozaj to veľmi pomohlo.", "Dlžím ti kávu, možno {day}?"],
    },
    Topic {
        subjects: &["Aký bol víkend?", "Novinky z víkendu", "Pokojný víkend"],
        leads: &[
            "Aký bol tvoj víkend?",
            "Dúfam, že víkend bol pokojný a príjemný.",
        ],
        follows: &[
            "Víkend bol fajn, {activity} a presne to bolo treba.",
            "U nás to bolo skvelé: {activity} a potom sa krásne spalo.",
        ],
    },
    Topic {
        subjects: &["Poznáš {item}?", "Tip pre teba", "Niečo na víkend"],
        leads: &[
            "Poznáš {item}?",
            "Kolegyňa mi odporučila {item} a je to paráda.",
        ],
        follows: &[
            "Myslím, že by sa ti to páčilo.",
            "Daj vedieť, čo na to hovoríš.",
            "Môžeme to prebrať {day} pri obede.",
        ],
    },
    Topic {
        subjects: &[
            "Krátky hovor {day}?",
            "Zavoláme si {day}?",
            "Chvíľka na rozhovor",
        ],
        leads: &[
            "Máš {day} štvrťhodinku na krátky hovor?",
            "Môžeme si {day} krátko zavolať?",
        ],
        follows: &[
            "Nič naliehavé, len chcem počuť, ako to ide.",
            "Hodilo by sa ti to {time}?",
            "Zaberie to len pár minút, sľubujem.",
        ],
    },
    Topic {
        subjects: &["Dlho sme sa nepočuli", "Ako sa máš?", "Uvidíme sa čoskoro?"],
        leads: &[
            "Už je to nejaký čas, čo sme spolu hovorili.",
            "Rozmýšľam, ako sa ti teraz darí.",
        ],
        follows: &[
            "Máš čas {day}? Mohli by sme sa stretnúť {place}.",
            "Porozprávaj, ako sa máš.",
        ],
    },
    Topic {
        subjects: &["Malé stretnutie {day}", "Pridáš sa {day}?", "Malá oslava"],
        leads: &[
            "Organizujeme {day} malé stretnutie {place}.",
            "Pár z nás sa stretne {day} {place}, aby sme oslávili koniec štvrťroka.",
        ],
        follows: &[
            "Vraj sa tam oplatí ochutnať {food}.",
            "Bolo by fajn ťa tam vidieť, aspoň na pol hodiny.",
            "Začneme asi {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Novinky ohľadom {project}",
            "Dobré správy ohľadom {project}",
            "Krátka aktualizácia",
        ],
        leads: &[
            "Krátka aktualizácia ohľadom {project}: všetko ide dobre.",
            "Dobré správy ohľadom {project}: tento týždeň sme sa poriadne posunuli.",
        ],
        follows: &[
            "Podrobnosti ti poviem, keď sa uvidíme {day}.",
            "Pár otvorených otázok ešte zostáva, ale nič vážne.",
        ],
    },
];

/// The Slovak bank.
pub(crate) const BANK: Bank = Bank {
    code: "sk",
    greetings: &["Ahoj {to},", "Čau {to},", "Dobrý deň, {to},", "Ahoj {to}!"],
    plain_greetings: &["Ahoj,", "Dobrý deň,", "Ahojte,", "Čau,"],
    openers: &[
        "Dúfam, že ti týždeň beží dobre.",
        "Dúfam, že sa máš dobre.",
        "Dúfam, že víkend bol príjemný.",
        "Bolo fajn ťa nedávno vidieť.",
        "Dúfam, že je u teba teraz trochu pokojnejšie.",
    ],
    topics: TOPICS,
    wishes: &[
        "Pekný týždeň!",
        "Maj sa pekne.",
        "Čoskoro sa ozvem.",
        "Pekný víkend!",
    ],
    signoffs: &[
        "Zdravím,",
        "S pozdravom,",
        "Vďaka a zdravím,",
        "Maj sa,",
        "Pekný deň,",
    ],
    acks: &[
        "Vďaka za správu!",
        "Je fajn mať od teba správu.",
        "Super, vďaka, že dávaš vedieť.",
        "Vďaka, to znie dobre.",
    ],
    answers: &[
        "Mne to vyhovuje, urobíme to tak.",
        "Pozriem sa do kalendára a ozvem sa {day}.",
        "Idem do toho, uvidíme sa {day}.",
        "S radosťou, {time} sa hodí skvele.",
        "Zatiaľ na to nebol čas, ale čoskoro sa na to pozriem.",
        "Preberieme to v pokoji, keď sa uvidíme.",
    ],
    attribution: "Dňa {date} {name} napísal(a):",
    attribution_anon: "Pôvodná správa z {date}:",
    date_format: "%-d. %-m. %Y o %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "v pondelok",
            "v utorok",
            "v stredu",
            "vo štvrtok",
            "v piatok",
            "zajtra",
            "pozajtra",
            "budúci týždeň",
        ],
        time: &[
            "dopoludnia",
            "okolo desiatej",
            "okolo obeda",
            "po obede",
            "okolo tretej",
            "neskoro popoludní",
        ],
        place: &[
            "v kaviarni na rohu",
            "v pekárni pri stanici",
            "v parku pri rieke",
            "v malom bistre na námestí",
            "na strešnej terase",
            "v novom podniku vedľa kancelárie",
            "v kaviarni pri múzeu",
        ],
        food: &[
            "jablkový koláč",
            "polievku dňa",
            "citrónovú bábovku",
            "zeleninový quiche",
            "škoricové slimáky",
            "bryndzové halušky",
            "mrkvovú tortu",
        ],
        project: &[
            "štvrťročnej správy",
            "novej webstránky",
            "príručky pre nováčikov",
            "návrhu rozpočtu",
            "prezentácie pre klienta",
            "jarného newslettera",
            "sťahovania kancelárie",
            "plánu školení",
            "tímovej príručky",
        ],
        activity: &[
            "boli sme na túre v horách",
            "konečne sme opravili starý bicykel",
            "strávili sme celý deň pri jazere",
            "vyskúšali sme nový recept na chlieb",
            "navštívili sme rodinu na vidieku",
            "boli sme na malom jazzovom koncerte",
            "vymaľovali sme izbu pre hostí",
            "išli sme na dlhú prechádzku pri mori",
        ],
        item: &[
            "ten podcast o spánku",
            "dokument o včelách",
            "nový detektívny seriál",
            "malé kníhkupectvo pri prístave",
            "chodník pozdĺž rieky",
            "novú výstavu v múzeu",
            "audioknihu o Alpách",
        ],
    },
};
