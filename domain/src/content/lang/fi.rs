//! Finnish.

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kahville {day}?",
            "Nopeat kahvit {time}?",
            "Kahvitauko {day}",
        ],
        leads: &[
            "Lähtisitkö kahville {day} {time}?",
            "Oletko lähistöllä {day} {time}? Voisimme käydä nopeasti kahvilla.",
        ],
        follows: &[
            "Ei kiirettä, kerro vain, mikä sinulle sopii.",
            "Kuulin, että {place} kannattaa maistaa {food}.",
            "Jos jokin toinen päivä sopii paremmin, sekin käy hyvin.",
        ],
    },
    Topic {
        subjects: &[
            "Lounaalle {day}?",
            "Yhteinen lounas {day}",
            "Lounasta pian?",
        ],
        leads: &[
            "Mennäänkö yhdessä lounaalle {day}?",
            "Minulla on vihdoin vähän aikaa {day}, joten yhteinen lounas olisi mukava.",
        ],
        follows: &[
            "Kollega suositteli, että {place} kannattaa maistaa {food}.",
            "Voisimme tavata {time}, jos se sopii sinulle.",
            "Kerro vain, niin varaan pöydän.",
        ],
    },
    Topic {
        subjects: &[
            "Palaverin jälkeen",
            "Muistiinpanoja {project}",
            "Jatkoa keskustelulle {project}",
        ],
        leads: &[
            "Kiitos vielä hyvästä keskustelusta {project}.",
            "Kävin aamulla läpi muistiinpanoni {project}.",
        ],
        follows: &[
            "Löytyisikö sinulta {day} puoli tuntia, jotta sovimme seuraavista askelista?",
            "Uskon, että olemme aikataulussa, vain muutama pikkuasia on auki.",
            "Kerro, jos unohdin jotain tärkeää.",
        ],
    },
    Topic {
        subjects: &[
            "Lyhyt kysymys {project}",
            "Pieni kysymys",
            "Mitä uutta {project}?",
        ],
        leads: &[
            "Tiedätkö, kuka vastaa tällä hetkellä {project}?",
            "Minulla olisi lyhyt kysymys {project}.",
        ],
        follows: &[
            "Haluan vain varmistaa, ettemme tee samaa työtä kahteen kertaan.",
            "Voimme myös jutella siitä {day}, jos se on helpompaa.",
        ],
    },
    Topic {
        subjects: &["Kiitos paljon!", "Pieni kiitos", "Kiitos avustasi"],
        leads: &[
            "Kiitos vielä kerran avustasi viime viikolla.",
            "Kiitos, että käytit aikaasi ja autoit minua.",
        ],
        follows: &[
            "Siitä oli todella paljon apua.",
            "Olen sinulle kahvit velkaa, ehkä {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Miten viikonloppu meni?",
            "Viikonlopun kuulumisia",
            "Rauhallinen viikonloppu",
        ],
        leads: &[
            "Miten viikonloppusi meni?",
            "Toivottavasti sinulla oli rentouttava viikonloppu.",
        ],
        follows: &[
            "Lauantaina {activity}, ja se oli juuri sitä, mitä tarvitsin.",
            "Meillä oli mukava viikonloppu: {activity}, ja sen jälkeen nukuin tosi hyvin.",
        ],
    },
    Topic {
        subjects: &["Tunnetko {item}?", "Vinkki sinulle", "Jotain viikonlopuksi"],
        leads: &[
            "Tunnetko jo {item}?",
            "Kollegani kehui kovasti {item}, ja ihastuin heti.",
        ],
        follows: &[
            "Luulen, että pitäisit siitä.",
            "Kerro ihmeessä, mitä mieltä olet.",
            "Voimme jutella siitä lounaalla {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Lyhyt puhelu {day}?",
            "Soitellaanko {day}?",
            "Aikaa jutella",
        ],
        leads: &[
            "Olisiko sinulla {day} vartti aikaa lyhyelle puhelulle?",
            "Voisimmeko soittaa lyhyesti {day}?",
        ],
        follows: &[
            "Ei mitään kiireellistä, haluan vain kuulla, miten menee.",
            "Sopisiko sinulle {time}?",
            "Se vie vain muutaman minuutin, lupaan.",
        ],
    },
    Topic {
        subjects: &["Pitkästä aikaa", "Mitä kuuluu?", "Nähdäänkö pian?"],
        leads: &[
            "Emme ole puhuneet aikoihin.",
            "Mietin tässä, mitä sinulle nykyään kuuluu.",
        ],
        follows: &[
            "Onko sinulla aikaa {day}? Voisimme tavata {place}.",
            "Kerro, miten sinulla menee.",
        ],
    },
    Topic {
        subjects: &[
            "Pienet juhlat {day}",
            "Tuletko mukaan {day}?",
            "Pieni juhlahetki",
        ],
        leads: &[
            "Järjestämme pienen yhteisen hetken {place} {day}.",
            "Osa meistä kokoontuu {place} {day} juhlistamaan vuosineljänneksen päättymistä.",
        ],
        follows: &[
            "Kuulemma siellä kannattaa maistaa {food}.",
            "Olisi kiva, jos ehtisit käymään, vaikka vain puoleksi tunniksi.",
            "Aloitamme luultavasti {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Tilannekatsaus {project}",
            "Hyviä uutisia {project}",
            "Lyhyt päivitys",
        ],
        leads: &[
            "Lyhyt päivitys {project}: työ etenee hyvin.",
            "Tässä uusimmat tiedot {project}: edistyimme tällä viikolla selvästi.",
        ],
        follows: &[
            "Kerron yksityiskohdat, kun nähdään {day}.",
            "Muutama kysymys on vielä auki, mutta ei mitään vakavaa.",
        ],
    },
];

/// The Finnish bank.
pub(crate) const BANK: Bank = Bank {
    code: "fi",
    greetings: &["Hei {to},", "Moi {to},", "Huomenta {to},", "Hei {to}!"],
    plain_greetings: &["Hei,", "Moi,", "Hei kaikki,", "Huomenta,"],
    openers: &[
        "Toivottavasti viikkosi on sujunut hyvin.",
        "Toivottavasti voit hyvin.",
        "Toivottavasti sinulla oli mukava viikonloppu.",
        "Oli mukava nähdä sinua toissapäivänä.",
        "Toivottavasti sinulla on nyt vähän rauhallisempaa.",
    ],
    topics: TOPICS,
    wishes: &[
        "Hyvää viikon jatkoa!",
        "Mukavaa päivää.",
        "Kuullaan pian.",
        "Hyvää viikonloppua!",
    ],
    signoffs: &[
        "Terveisin,",
        "Ystävällisin terveisin,",
        "Parhain terveisin,",
        "Kiittäen,",
        "Hyvää jatkoa toivottaen,",
    ],
    acks: &[
        "Kiitos viestistäsi!",
        "Mukava kuulla sinusta.",
        "Hienoa, kiitos kun kerroit.",
        "Kiitos, kuulostaa hyvältä.",
    ],
    answers: &[
        "Se sopii minulle hyvin, tehdään niin.",
        "Katson kalenteriani ja palaan asiaan {day}.",
        "Olen mukana, nähdään {day}.",
        "Mielelläni, {time} sopii täydellisesti.",
        "En ole vielä ehtinyt perehtyä asiaan, mutta teen sen pian.",
        "Jutellaan siitä rauhassa, kun nähdään.",
    ],
    attribution: "{name} kirjoitti {date}:",
    attribution_anon: "Alkuperäinen viesti {date}:",
    date_format: "%-d.%-m.%Y klo %H.%M",
    space: " ",
    slots: Slots {
        day: &[
            "maanantaina",
            "tiistaina",
            "keskiviikkona",
            "torstaina",
            "perjantaina",
            "huomenna",
            "ylihuomenna",
            "ensi viikolla",
        ],
        time: &[
            "aamupäivällä",
            "kymmenen maissa",
            "puolenpäivän aikaan",
            "lounaan jälkeen",
            "kolmen maissa",
            "myöhään iltapäivällä",
        ],
        place: &[
            "kulman kahvilassa",
            "aseman leipomossa",
            "joenrannan puistossa",
            "torin pienessä bistrossa",
            "kattoterassilla",
            "toimiston viereisessä ravintolassa",
            "museon kahvilassa",
        ],
        food: &[
            "omenapiirakkaa",
            "päivän keittoa",
            "sitruunakakkua",
            "kasvispiirakkaa",
            "korvapuusteja",
            "lohikeittoa",
            "porkkanakakkua",
        ],
        project: &[
            "neljännesvuosiraportista",
            "uudesta verkkosivustosta",
            "perehdytysoppaasta",
            "budjettiluonnoksesta",
            "asiakasesityksestä",
            "kevään uutiskirjeestä",
            "toimiston muutosta",
            "koulutusaikataulusta",
            "tiimin käsikirjasta",
        ],
        activity: &[
            "kävimme vaeltamassa metsässä",
            "korjasimme vihdoin vanhan pyörän",
            "vietimme koko päivän järvellä",
            "kokeilimme uutta leipäreseptiä",
            "kävimme sukulaisten luona maalla",
            "kävimme pienessä jazzkonsertissa",
            "maalasimme vierashuoneen",
            "teimme pitkän kävelyn rannalla",
        ],
        item: &[
            "sitä unesta kertovaa podcastia",
            "mehiläisdokumenttia",
            "uutta rikossarjaa",
            "sataman pientä kirjakauppaa",
            "joenvarren luontopolkua",
            "uutta näyttelyä",
            "Alpeista kertovaa äänikirjaa",
        ],
    },
};
