//! Czech (informal "ty"; the writer's own past tense is plural, so it fits anyone).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Kafe {day}?", "Rychlé kafe {time}?", "Pauza na kafe {day}"],
        leads: &[
            "Máš chuť zajít na kafe {day} {time}?",
            "Budeš {day} {time} poblíž? Mohli bychom si dát rychlé kafe.",
        ],
        follows: &[
            "Žádný spěch, dej vědět, co se ti hodí.",
            "Prý se vyplatí {place} ochutnat {food}.",
            "Jestli se ti hodí jiný den, není to problém.",
        ],
    },
    Topic {
        subjects: &[
            "Oběd {day}?",
            "Společný oběd {day}",
            "Zajdeme brzy na oběd?",
        ],
        leads: &[
            "Zajdeme {day} spolu na oběd?",
            "Mám {day} konečně trochu času, společný oběd by byl fajn.",
        ],
        follows: &[
            "Kolegyně doporučuje {place} ochutnat {food}.",
            "Můžeme se sejít {time}, jestli ti to vyhovuje.",
            "Dej vědět a já zarezervuju stůl.",
        ],
    },
    Topic {
        subjects: &[
            "Po naší schůzce",
            "Poznámky ohledně {project}",
            "Další kroky ohledně {project}",
        ],
        leads: &[
            "Ještě jednou díky za schůzku ohledně {project}.",
            "Ráno jsme si ještě jednou prošli poznámky ohledně {project}.",
        ],
        follows: &[
            "Najdeme si {day} půl hodiny, abychom se domluvili na dalších krocích?",
            "Myslím, že jsme v plánu, zbývá jen pár drobností.",
            "Dej vědět, jestli mi uniklo něco důležitého.",
        ],
    },
    Topic {
        subjects: &[
            "Krátký dotaz ohledně {project}",
            "Malý dotaz",
            "Co nového ohledně {project}?",
        ],
        leads: &[
            "Nevíš, kdo se teď stará o věci ohledně {project}?",
            "Mám krátký dotaz ohledně {project}.",
        ],
        follows: &[
            "Chci jen mít jistotu, že neděláme stejnou práci dvakrát.",
            "Můžeme to probrat i {day}, jestli to bude jednodušší.",
        ],
    },
    Topic {
        subjects: &[
            "Moc děkuju!",
            "Díky za pomoc",
            "Díky za pomoc ohledně {project}",
        ],
        leads: &[
            "Moc děkuju za pomoc ohledně {project}.",
            "Díky za tvůj čas a za to, že jsme to mohli projít spolu.",
        ],
        follows: &["Opravdu to hodně pomohlo.", "Dlužím ti kafe, třeba {day}?"],
    },
    Topic {
        subjects: &["Jaký byl víkend?", "Novinky z víkendu", "Klidný víkend"],
        leads: &[
            "Jaký byl tvůj víkend?",
            "Doufám, že víkend byl klidný a příjemný.",
        ],
        follows: &[
            "Víkend byl fajn, {activity} a přesně to bylo potřeba.",
            "U nás to bylo skvělé: {activity} a pak se krásně spalo.",
        ],
    },
    Topic {
        subjects: &["Znáš {item}?", "Tip pro tebe", "Něco na víkend"],
        leads: &[
            "Znáš {item}?",
            "Kolegyně mi doporučila {item} a je to paráda.",
        ],
        follows: &[
            "Myslím, že by se ti to líbilo.",
            "Dej vědět, co na to říkáš.",
            "Můžeme to probrat {day} u oběda.",
        ],
    },
    Topic {
        subjects: &[
            "Krátký hovor {day}?",
            "Zavoláme si {day}?",
            "Chvilka na popovídání",
        ],
        leads: &[
            "Máš {day} čtvrt hodiny na krátký hovor?",
            "Můžeme si {day} krátce zavolat?",
        ],
        follows: &[
            "Nic naléhavého, jen chci slyšet, jak to jde.",
            "Hodilo by se ti to {time}?",
            "Zabere to jen pár minut, slibuju.",
        ],
    },
    Topic {
        subjects: &[
            "Dlouho jsme se neslyšeli",
            "Jak se máš?",
            "Uvidíme se brzy?",
        ],
        leads: &[
            "Už je to nějaký čas, co jsme spolu mluvili.",
            "Přemýšlím, jak se ti teď daří.",
        ],
        follows: &[
            "Máš čas {day}? Mohli bychom se sejít {place}.",
            "Povídej, jak se máš.",
        ],
    },
    Topic {
        subjects: &["Malé setkání {day}", "Přidáš se {day}?", "Malá oslava"],
        leads: &[
            "Pořádáme {day} malé setkání {place}.",
            "Pár z nás se sejde {day} {place}, abychom oslavili konec čtvrtletí.",
        ],
        follows: &[
            "Prý se tam vyplatí ochutnat {food}.",
            "Bylo by fajn tě tam vidět, aspoň na půl hodiny.",
            "Začneme asi {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Novinky ohledně {project}",
            "Dobré zprávy ohledně {project}",
            "Krátká aktualizace",
        ],
        leads: &[
            "Krátká aktualizace ohledně {project}: všechno jde dobře.",
            "Dobré zprávy ohledně {project}: tento týden jsme se hodně posunuli.",
        ],
        follows: &[
            "Podrobnosti ti řeknu, až se uvidíme {day}.",
            "Pár otevřených otázek ještě zbývá, ale nic vážného.",
        ],
    },
];

/// The Czech bank.
pub(crate) const BANK: Bank = Bank {
    code: "cs",
    greetings: &["Ahoj {to},", "Čau {to},", "Dobrý den, {to},", "Ahoj {to}!"],
    plain_greetings: &["Ahoj,", "Dobrý den,", "Ahoj všichni,", "Čau,"],
    openers: &[
        "Doufám, že ti týden běží dobře.",
        "Doufám, že se máš dobře.",
        "Doufám, že víkend byl příjemný.",
        "Bylo fajn tě nedávno vidět.",
        "Doufám, že je u tebe teď trochu klidněji.",
    ],
    topics: TOPICS,
    wishes: &[
        "Hezký týden!",
        "Měj se hezky.",
        "Brzy se ozvu.",
        "Hezký víkend!",
    ],
    signoffs: &[
        "Zdravím,",
        "S pozdravem,",
        "Díky a zdravím,",
        "Měj se,",
        "Hezký den,",
    ],
    acks: &[
        "Díky za zprávu!",
        "Je fajn mít od tebe zprávu.",
        "Super, díky, že dáváš vědět.",
        "Díky, to zní dobře.",
    ],
    answers: &[
        "Mně to vyhovuje, uděláme to tak.",
        "Podívám se do kalendáře a ozvu se {day}.",
        "Jdu do toho, uvidíme se {day}.",
        "S radostí, {time} se hodí skvěle.",
        "Zatím na to nebyl čas, ale brzy se na to podívám.",
        "Probereme to v klidu, až se uvidíme.",
    ],
    attribution: "Dne {date} {name} napsal(a):",
    attribution_anon: "Původní zpráva z {date}:",
    date_format: "%-d. %-m. %Y v %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "v pondělí",
            "v úterý",
            "ve středu",
            "ve čtvrtek",
            "v pátek",
            "zítra",
            "pozítří",
            "příští týden",
        ],
        time: &[
            "dopoledne",
            "kolem desáté",
            "kolem poledne",
            "po obědě",
            "kolem třetí",
            "pozdě odpoledne",
        ],
        place: &[
            "v kavárně na rohu",
            "v pekárně u nádraží",
            "v parku u řeky",
            "v malém bistru na náměstí",
            "na střešní terase",
            "v novém podniku vedle kanceláře",
            "v kavárně u muzea",
        ],
        food: &[
            "jablečný koláč",
            "polévku dne",
            "citronovou bábovku",
            "zeleninový quiche",
            "skořicové šneky",
            "svíčkovou",
            "mrkvový dort",
        ],
        project: &[
            "čtvrtletní zprávy",
            "nového webu",
            "příručky pro nováčky",
            "návrhu rozpočtu",
            "prezentace pro klienta",
            "jarního newsletteru",
            "stěhování kanceláře",
            "plánu školení",
            "týmové příručky",
        ],
        activity: &[
            "byli jsme na túře v horách",
            "konečně jsme opravili staré kolo",
            "strávili jsme celý den u jezera",
            "vyzkoušeli jsme nový recept na chleba",
            "navštívili jsme rodinu na venkově",
            "byli jsme na malém jazzovém koncertě",
            "vymalovali jsme pokoj pro hosty",
            "šli jsme na dlouhou procházku podél moře",
        ],
        item: &[
            "ten podcast o spánku",
            "dokument o včelách",
            "nový detektivní seriál",
            "malé knihkupectví u přístavu",
            "stezku podél řeky",
            "novou výstavu v muzeu",
            "audioknihu o Alpách",
        ],
    },
};
