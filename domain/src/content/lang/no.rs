//! Norwegian (Bokmål).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Kaffe {day}?", "En rask kaffe {time}?", "Tid for en kaffe?"],
        leads: &[
            "Har du lyst på en kopp kaffe {day} {time}?",
            "Er du i nærheten {day} {time}? Da kunne vi ta en rask kaffe.",
        ],
        follows: &[
            "Ingen hast, bare si fra hva som passer for deg.",
            "Jeg har hørt at man må smake {food} {place}.",
            "Hvis en annen dag passer bedre, går det helt fint.",
        ],
    },
    Topic {
        subjects: &["Lunsj {day}?", "Skal vi spise lunsj {day}?", "Lunsj snart?"],
        leads: &[
            "Skal vi spise lunsj sammen {day}?",
            "Jeg har endelig litt tid {day}, så en lunsj sammen hadde vært hyggelig.",
        ],
        follows: &[
            "En kollega anbefalte {food} {place}.",
            "Vi kunne møtes {time}, hvis det passer for deg.",
            "Si fra, så bestiller jeg bord.",
        ],
    },
    Topic {
        subjects: &[
            "Etter møtet vårt",
            "Notater om {project}",
            "Neste steg for {project}",
        ],
        leads: &[
            "Takk igjen for møtet om {project}.",
            "Jeg gikk gjennom notatene mine om {project} i morges.",
        ],
        follows: &[
            "Kan vi finne en halvtime {day} for å avtale de neste stegene?",
            "Jeg tror vi ligger godt an, det gjenstår bare noen småting.",
            "Si fra hvis jeg har glemt noe viktig.",
        ],
    },
    Topic {
        subjects: &[
            "Et kjapt spørsmål om {project}",
            "Et lite spørsmål",
            "Hvordan går det med {project}?",
        ],
        leads: &[
            "Vet du hvem som har ansvaret for {project} nå?",
            "Jeg hadde et kjapt spørsmål om {project}.",
        ],
        follows: &[
            "Jeg vil bare være sikker på at vi ikke gjør den samme jobben to ganger.",
            "Vi kan også ta det {day}, hvis det er enklere.",
        ],
    },
    Topic {
        subjects: &[
            "Tusen takk!",
            "Takk for hjelpen",
            "Takk for hjelpen med {project}",
        ],
        leads: &[
            "Tusen takk for hjelpen med {project}.",
            "Takk for at du tok deg tid til å gå gjennom {project} med meg.",
        ],
        follows: &[
            "Det gjorde virkelig en forskjell.",
            "Jeg skylder deg en kaffe, kanskje {day}?",
        ],
    },
    Topic {
        subjects: &["Hvordan var helgen?", "Nytt fra helgen", "En rolig helg"],
        leads: &[
            "Hvordan var helgen din?",
            "Jeg håper du har hatt en avslappende helg.",
        ],
        follows: &[
            "Vi {activity}, og det var akkurat det jeg trengte.",
            "Vi {activity}, og etterpå sov jeg kjempegodt.",
        ],
    },
    Topic {
        subjects: &["Kjenner du {item}?", "Et tips til deg", "Noe for helgen"],
        leads: &[
            "Kjenner du til {item}?",
            "En kollega anbefalte meg {item}, og jeg ble helt begeistret.",
        ],
        follows: &[
            "Jeg tror du hadde likt det.",
            "Si gjerne hva du synes.",
            "Vi kan snakke om det over lunsj {day}.",
        ],
    },
    Topic {
        subjects: &["En kort samtale {day}?", "Ringe {day}?", "Tid for en prat"],
        leads: &[
            "Har du et kvarter {day} til en kort telefonsamtale?",
            "Kan vi ta en rask telefon {day}?",
        ],
        follows: &[
            "Ikke noe som haster, jeg vil bare høre hvordan det går.",
            "Passer det for deg {time}?",
            "Det tar bare noen minutter, jeg lover.",
        ],
    },
    Topic {
        subjects: &[
            "Lenge siden sist",
            "Hvordan har du det?",
            "Skal vi ses snart?",
        ],
        leads: &[
            "Det er lenge siden vi har snakket sammen.",
            "Jeg lurte på hvordan du har det for tiden.",
        ],
        follows: &[
            "Har du tid {day}? Vi kunne møtes {place}.",
            "Fortell hvordan det går med deg.",
        ],
    },
    Topic {
        subjects: &["Lite treff {day}", "Blir du med {day}?", "En liten feiring"],
        leads: &[
            "Vi har et lite treff {place} {day}.",
            "Noen av oss møtes {place} {day} for å feire at kvartalet er over.",
        ],
        follows: &[
            "Jeg har hørt at man bør smake {food} der.",
            "Det hadde vært fint om du kunne stikke innom, om så bare for en halvtime.",
            "Vi begynner nok {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Status for {project}",
            "Gode nyheter om {project}",
            "En kort oppdatering",
        ],
        leads: &[
            "Bare en kort oppdatering: {project} går fint fremover.",
            "Vi har kommet et godt stykke videre med {project} denne uken.",
        ],
        follows: &[
            "Jeg forteller deg detaljene når vi ses {day}.",
            "Det er fortsatt noen åpne spørsmål, men ikke noe alvorlig.",
        ],
    },
];

/// The Norwegian bank.
pub(crate) const BANK: Bank = Bank {
    code: "no",
    greetings: &["Hei {to},", "Hei {to}!", "God morgen {to},", "Hallo {to},"],
    plain_greetings: &["Hei,", "Hei alle sammen,", "God morgen,", "Hallo,"],
    openers: &[
        "Håper uken din går bra.",
        "Jeg håper du har det bra.",
        "Håper du har hatt en fin helg.",
        "Det var hyggelig å se deg her om dagen.",
        "Håper det er litt roligere hos deg nå.",
    ],
    topics: TOPICS,
    wishes: &[
        "Ha en fin uke!",
        "Ha en fin dag.",
        "Snakkes snart.",
        "God helg!",
    ],
    signoffs: &[
        "Hilsen,",
        "Vennlig hilsen,",
        "Beste hilsen,",
        "Mvh,",
        "Mange hilsener,",
    ],
    acks: &[
        "Takk for meldingen!",
        "Hyggelig å høre fra deg.",
        "Supert, takk for at du sa fra.",
        "Takk, det høres bra ut.",
    ],
    answers: &[
        "Det passer meg fint, la oss gjøre det.",
        "Jeg sjekker kalenderen og gir deg beskjed {day}.",
        "Jeg er med, vi ses {day}.",
        "Gjerne, {time} passer perfekt.",
        "Jeg har ikke rukket å se på det ennå, men det gjør jeg snart.",
        "La oss ta det i ro og mak når vi ses.",
    ],
    attribution: "Den {date} skrev {name}:",
    attribution_anon: "Opprinnelig melding fra {date}:",
    date_format: "%d.%m.%Y kl. %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "på mandag",
            "på tirsdag",
            "på onsdag",
            "på torsdag",
            "på fredag",
            "i morgen",
            "i overmorgen",
            "neste uke",
        ],
        time: &[
            "på formiddagen",
            "rundt ti",
            "rundt lunsjtider",
            "etter lunsj",
            "rundt tre",
            "sent på ettermiddagen",
        ],
        place: &[
            "på kafeen på hjørnet",
            "hos bakeren ved stasjonen",
            "i parken ved elva",
            "på den lille bistroen ved torget",
            "på takterrassen",
            "på det nye stedet ved kontoret",
            "i museumskafeen",
        ],
        food: &[
            "eplekaka",
            "dagens suppe",
            "sitronkaka",
            "grønnsakspaien",
            "kanelbollene",
            "skolebollene",
            "gulrotkaka",
        ],
        project: &[
            "kvartalsrapporten",
            "den nye nettsiden",
            "opplæringsguiden",
            "budsjettet",
            "kundepresentasjonen",
            "vårens nyhetsbrev",
            "kontorflyttingen",
            "kursplanen",
            "teamhåndboka",
        ],
        activity: &[
            "gikk tur i fjellet",
            "fikk endelig fikset den gamle sykkelen",
            "var hele dagen ved vannet",
            "prøvde en ny brødoppskrift",
            "besøkte familien på landet",
            "var på en liten jazzkonsert",
            "malte gjesterommet",
            "gikk en lang tur langs sjøen",
        ],
        item: &[
            "den podkasten om søvn",
            "dokumentaren om bier",
            "den nye krimserien",
            "den lille bokhandelen ved havna",
            "turstien langs elva",
            "den nye utstillingen",
            "lydboka om Alpene",
        ],
    },
};
