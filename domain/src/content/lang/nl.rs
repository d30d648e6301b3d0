//! Dutch (informal "je").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Koffie {day}?", "Even koffie {time}?", "Zin in koffie?"],
        leads: &[
            "Heb je zin om {day} {time} koffie te drinken?",
            "Ben je {day} {time} in de buurt voor een snelle koffie?",
        ],
        follows: &[
            "Geen haast, laat maar weten wat jou uitkomt.",
            "Ik hoorde dat je {food} {place} echt moet proberen.",
            "Als een andere dag beter past, is dat ook prima.",
        ],
    },
    Topic {
        subjects: &[
            "Lunch {day}?",
            "Samen lunchen {day}?",
            "Binnenkort lunchen?",
        ],
        leads: &[
            "Zullen we {day} samen lunchen?",
            "Ik heb {day} eindelijk wat tijd, een lunch samen lijkt me leuk.",
        ],
        follows: &[
            "Iemand raadde me {food} {place} aan.",
            "We kunnen {time} afspreken, als dat jou past.",
            "Laat het even weten, dan reserveer ik een tafel.",
        ],
    },
    Topic {
        subjects: &[
            "Na ons overleg",
            "Aantekeningen over {project}",
            "Vervolgstappen {project}",
        ],
        leads: &[
            "Nogmaals bedankt voor het overleg over {project}.",
            "Ik heb vanochtend mijn aantekeningen over {project} nog eens doorgenomen.",
        ],
        follows: &[
            "Kunnen we {day} een halfuurtje vinden om de volgende stappen af te spreken?",
            "Volgens mij liggen we goed op schema, er zijn nog een paar kleine punten.",
            "Laat het weten als ik iets belangrijks gemist heb.",
        ],
    },
    Topic {
        subjects: &[
            "Korte vraag over {project}",
            "Een kleine vraag",
            "Hoe staat {project} ervoor?",
        ],
        leads: &[
            "Weet jij wie zich op dit moment met {project} bezighoudt?",
            "Ik had een korte vraag over {project}.",
        ],
        follows: &[
            "Ik wil alleen voorkomen dat we dubbel werk doen.",
            "We kunnen het ook {day} even bespreken, als dat makkelijker is.",
        ],
    },
    Topic {
        subjects: &[
            "Dank je wel!",
            "Bedankt voor je hulp",
            "Bedankt voor {project}",
        ],
        leads: &[
            "Heel erg bedankt voor je hulp met {project}.",
            "Fijn dat je de tijd nam om {project} samen met mij door te nemen.",
        ],
        follows: &[
            "Daar had ik echt veel aan.",
            "Ik trakteer je op koffie, misschien {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Hoe was je weekend?",
            "Nieuws van het weekend",
            "Een rustig weekend",
        ],
        leads: &[
            "Hoe was je weekend?",
            "Ik hoop dat je een ontspannen weekend hebt gehad.",
        ],
        follows: &[
            "We {activity}, precies wat ik nodig had.",
            "We {activity} en daarna heb ik heerlijk geslapen.",
        ],
    },
    Topic {
        subjects: &[
            "Ken je {item} al?",
            "Een tip voor jou",
            "Iets voor het weekend",
        ],
        leads: &[
            "Ken jij {item} al?",
            "Een collega raadde me {item} aan en ik vond het geweldig.",
        ],
        follows: &[
            "Ik denk dat je het leuk zou vinden.",
            "Laat maar weten wat je ervan vindt.",
            "We kunnen het er {day} bij de lunch over hebben.",
        ],
    },
    Topic {
        subjects: &[
            "Even bellen {day}?",
            "Kort belletje {day}",
            "Een moment om te praten",
        ],
        leads: &[
            "Heb je {day} een kwartiertje voor een kort belletje?",
            "Kunnen we {day} even bellen?",
        ],
        follows: &[
            "Niets dringends, ik wil alleen horen hoe het gaat.",
            "Komt {time} jou uit?",
            "Het duurt maar een paar minuten, beloofd.",
        ],
    },
    Topic {
        subjects: &[
            "Lang niet gesproken",
            "Hoe gaat het met je?",
            "Binnenkort afspreken?",
        ],
        leads: &[
            "Het is alweer een tijdje geleden dat we elkaar spraken.",
            "Ik vroeg me af hoe het tegenwoordig met je gaat.",
        ],
        follows: &[
            "Heb je {day} tijd? We zouden {place} kunnen afspreken.",
            "Vertel eens hoe het bij jou gaat.",
        ],
    },
    Topic {
        subjects: &[
            "Kleine borrel {day}",
            "Doe je {day} mee?",
            "Een klein feestje",
        ],
        leads: &[
            "We organiseren {day} een kleine borrel {place}.",
            "Met een paar collega's vieren we {day} {place} het einde van het kwartaal.",
        ],
        follows: &[
            "Ze zeggen dat {food} daar heerlijk is.",
            "Het zou leuk zijn als je langskomt, al is het maar een halfuurtje.",
            "We beginnen waarschijnlijk {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Update over {project}",
            "Goed nieuws over {project}",
            "Een korte update",
        ],
        leads: &[
            "Even een korte update: {project} loopt goed.",
            "We zijn deze week flink opgeschoten met {project}.",
        ],
        follows: &[
            "Ik vertel je de details als we elkaar {day} zien.",
            "Er staan nog een paar vragen open, maar niets ernstigs.",
        ],
    },
];

/// The Dutch bank.
pub(crate) const BANK: Bank = Bank {
    code: "nl",
    greetings: &["Hoi {to},", "Hallo {to},", "Goedemorgen {to},", "Hey {to},"],
    plain_greetings: &["Hoi,", "Hallo,", "Goedemorgen,", "Hallo allemaal,"],
    openers: &[
        "Ik hoop dat je week goed gaat.",
        "Ik hoop dat alles goed met je gaat.",
        "Ik hoop dat je een fijn weekend hebt gehad.",
        "Leuk je laatst weer te zien.",
        "Ik hoop dat het bij jou wat rustiger is.",
    ],
    topics: TOPICS,
    wishes: &[
        "Fijne week!",
        "Nog een fijne dag.",
        "Tot snel.",
        "Fijn weekend!",
    ],
    signoffs: &[
        "Groetjes,",
        "Groet,",
        "Hartelijke groet,",
        "Met vriendelijke groet,",
        "Tot later,",
    ],
    acks: &[
        "Dank je voor je bericht!",
        "Leuk om van je te horen.",
        "Top, bedankt voor het laten weten.",
        "Dank je, dat klinkt goed.",
    ],
    answers: &[
        "Dat komt mij goed uit, laten we dat doen.",
        "Ik kijk even in mijn agenda en laat het je {day} weten.",
        "Ik ben erbij, tot {day}!",
        "Graag, {time} is perfect.",
        "Ik ben er nog niet aan toegekomen, maar dat komt snel.",
        "Laten we het er rustig over hebben als we elkaar zien.",
    ],
    attribution: "Op {date} schreef {name}:",
    attribution_anon: "Oorspronkelijk bericht van {date}:",
    date_format: "%d-%m-%Y om %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "morgen",
            "overmorgen",
            "volgende week",
        ],
        time: &[
            "'s ochtends",
            "rond tien uur",
            "rond het middaguur",
            "na de lunch",
            "rond drie uur",
            "aan het eind van de middag",
        ],
        place: &[
            "in het café op de hoek",
            "bij de bakker bij het station",
            "in het park aan de rivier",
            "in het bistrootje op het plein",
            "op het dakterras",
            "in de nieuwe zaak naast kantoor",
            "in het museumcafé",
        ],
        food: &[
            "de appeltaart",
            "de soep van de dag",
            "de citroencake",
            "de groentequiche",
            "de pompoensoep",
            "het bananenbrood",
            "de tosti met oude kaas",
        ],
        project: &[
            "het kwartaalrapport",
            "de nieuwe website",
            "de onboardinggids",
            "de begroting",
            "de klantpresentatie",
            "de voorjaarsnieuwsbrief",
            "de kantoorverhuizing",
            "het trainingsschema",
            "het teamhandboek",
        ],
        activity: &[
            "zijn gaan wandelen in de heuvels",
            "hebben eindelijk de oude fiets gerepareerd",
            "zijn de hele dag bij het meer geweest",
            "hebben een nieuw broodrecept geprobeerd",
            "zijn bij familie op het platteland geweest",
            "zijn naar een klein jazzconcert geweest",
            "hebben de logeerkamer geverfd",
            "hebben een lange strandwandeling gemaakt",
        ],
        item: &[
            "die podcast over slaap",
            "de documentaire over bijen",
            "de nieuwe detectiveserie",
            "het boekwinkeltje bij de haven",
            "het wandelpad langs de rivier",
            "de nieuwe expositie",
            "het luisterboek over de Alpen",
        ],
    },
};
