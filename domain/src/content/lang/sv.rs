//! Swedish.

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Fika {day}?", "En snabb fika {time}?", "Dags för fika?"],
        leads: &[
            "Har du lust att fika {day} {time}?",
            "Är du i närheten {day} {time}? Då kunde vi ta en snabb kaffe.",
        ],
        follows: &[
            "Ingen brådska, säg bara vad som passar dig.",
            "Jag har hört att man måste smaka {food} {place}.",
            "Om en annan dag passar bättre går det också bra.",
        ],
    },
    Topic {
        subjects: &["Lunch {day}?", "Ska vi äta lunch {day}?", "Lunch snart?"],
        leads: &[
            "Ska vi äta lunch tillsammans {day}?",
            "Jag har äntligen lite tid {day}, så en lunch ihop vore trevligt.",
        ],
        follows: &[
            "En kollega tipsade om {food} {place}.",
            "Vi kunde ses {time}, om det passar dig.",
            "Säg till, så bokar jag ett bord.",
        ],
    },
    Topic {
        subjects: &[
            "Efter vårt möte",
            "Anteckningar om {project}",
            "Nästa steg för {project}",
        ],
        leads: &[
            "Tack igen för mötet om {project}.",
            "Jag gick igenom mina anteckningar om {project} i morse.",
        ],
        follows: &[
            "Kan vi hitta en halvtimme {day} för att bestämma nästa steg?",
            "Jag tror att vi ligger bra till, det är bara några små saker kvar.",
            "Säg till om jag har missat något viktigt.",
        ],
    },
    Topic {
        subjects: &[
            "En snabb fråga om {project}",
            "En liten fråga",
            "Hur går det med {project}?",
        ],
        leads: &[
            "Vet du vem som ansvarar för {project} just nu?",
            "Jag hade en snabb fråga om {project}.",
        ],
        follows: &[
            "Jag vill bara vara säker på att vi inte gör samma jobb två gånger.",
            "Vi kan också ta det {day}, om det är enklare.",
        ],
    },
    Topic {
        subjects: &[
            "Tusen tack!",
            "Tack för hjälpen",
            "Tack för hjälpen med {project}",
        ],
        leads: &[
            "Tusen tack för din hjälp med {project}.",
            "Tack för att du tog dig tid att gå igenom {project} med mig.",
        ],
        follows: &[
            "Det gjorde verkligen skillnad.",
            "Jag är skyldig dig en fika, kanske {day}?",
        ],
    },
    Topic {
        subjects: &["Hur var helgen?", "Nytt från helgen", "En lugn helg"],
        leads: &[
            "Hur var din helg?",
            "Jag hoppas att du har haft en avkopplande helg.",
        ],
        follows: &[
            "Vi {activity}, och det var precis vad jag behövde.",
            "Vi {activity}, och efteråt sov jag jättegott.",
        ],
    },
    Topic {
        subjects: &[
            "Känner du till {item}?",
            "Ett tips till dig",
            "Något för helgen",
        ],
        leads: &[
            "Känner du till {item}?",
            "En kollega tipsade mig om {item}, och jag blev helt förtjust.",
        ],
        follows: &[
            "Jag tror att du skulle gilla det.",
            "Berätta gärna vad du tycker.",
            "Vi kan prata om det över lunchen {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Ett kort samtal {day}?",
            "Ringas {day}?",
            "Tid för ett snack",
        ],
        leads: &[
            "Har du en kvart {day} för ett kort samtal?",
            "Kan vi höras snabbt per telefon {day}?",
        ],
        follows: &[
            "Inget brådskande, jag vill bara höra hur det går.",
            "Passar det dig {time}?",
            "Det tar bara några minuter, jag lovar.",
        ],
    },
    Topic {
        subjects: &["Länge sedan sist", "Hur mår du?", "Ses vi snart?"],
        leads: &[
            "Det var länge sedan vi pratades vid.",
            "Jag undrade hur du har det nuförtiden.",
        ],
        follows: &[
            "Har du tid {day}? Vi kunde ses {place}.",
            "Berätta hur det går för dig.",
        ],
    },
    Topic {
        subjects: &[
            "Liten träff {day}",
            "Hänger du med {day}?",
            "Ett litet firande",
        ],
        leads: &[
            "Vi ordnar en liten träff {place} {day}.",
            "Några av oss ses {place} {day} för att fira att kvartalet är slut.",
        ],
        follows: &[
            "Jag har hört att man ska prova {food} där.",
            "Det vore roligt om du kunde titta förbi, om så bara en halvtimme.",
            "Vi börjar nog {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Läget för {project}",
            "Goda nyheter om {project}",
            "En kort uppdatering",
        ],
        leads: &[
            "Bara en kort uppdatering: {project} går framåt fint.",
            "Vi har kommit en bra bit med {project} den här veckan.",
        ],
        follows: &[
            "Jag berättar detaljerna när vi ses {day}.",
            "Det finns fortfarande några öppna frågor, men inget allvarligt.",
        ],
    },
];

/// The Swedish bank.
pub(crate) const BANK: Bank = Bank {
    code: "sv",
    greetings: &["Hej {to},", "Hej {to}!", "God morgon {to},", "Hallå {to},"],
    plain_greetings: &["Hej,", "Hej allihop,", "God morgon,", "Hallå,"],
    openers: &[
        "Hoppas att din vecka går bra.",
        "Jag hoppas att du mår bra.",
        "Hoppas att du har haft en fin helg.",
        "Det var trevligt att ses häromdagen.",
        "Hoppas att det är lite lugnare hos dig nu.",
    ],
    topics: TOPICS,
    wishes: &[
        "Ha en fin vecka!",
        "Ha en bra dag.",
        "Hörs snart.",
        "Trevlig helg!",
    ],
    signoffs: &[
        "Hälsningar,",
        "Vänliga hälsningar,",
        "Bästa hälsningar,",
        "Ha det gott,",
        "Många hälsningar,",
    ],
    acks: &[
        "Tack för ditt meddelande!",
        "Kul att höra av dig.",
        "Toppen, tack för att du sa till.",
        "Tack, det låter bra.",
    ],
    answers: &[
        "Det passar mig bra, vi gör så.",
        "Jag kollar min kalender och återkommer {day}.",
        "Jag är med, vi ses {day}.",
        "Gärna, {time} passar perfekt.",
        "Jag har inte hunnit titta på det än, men det gör jag snart.",
        "Vi tar det i lugn och ro när vi ses.",
    ],
    attribution: "Den {date} skrev {name}:",
    attribution_anon: "Ursprungligt meddelande från {date}:",
    date_format: "%Y-%m-%d kl. %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "på måndag",
            "på tisdag",
            "på onsdag",
            "på torsdag",
            "på fredag",
            "i morgon",
            "i övermorgon",
            "nästa vecka",
        ],
        time: &[
            "på förmiddagen",
            "runt tio",
            "vid lunchtid",
            "efter lunch",
            "runt tre",
            "sent på eftermiddagen",
        ],
        place: &[
            "på kaféet på hörnet",
            "på bageriet vid stationen",
            "i parken vid ån",
            "på den lilla bistron vid torget",
            "på takterrassen",
            "på det nya stället vid kontoret",
            "på museets kafé",
        ],
        food: &[
            "äppelkakan",
            "dagens soppa",
            "citronkakan",
            "grönsakspajen",
            "kanelbullarna",
            "morotskakan",
            "räksmörgåsen",
        ],
        project: &[
            "kvartalsrapporten",
            "den nya webbplatsen",
            "introduktionsguiden",
            "budgeten",
            "kundpresentationen",
            "vårens nyhetsbrev",
            "kontorsflytten",
            "utbildningsschemat",
            "teamhandboken",
        ],
        activity: &[
            "vandrade i skogen",
            "fick äntligen ordning på den gamla cykeln",
            "var hela dagen vid sjön",
            "testade ett nytt brödrecept",
            "hälsade på släkten på landet",
            "gick på en liten jazzkonsert",
            "målade gästrummet",
            "tog en lång promenad längs stranden",
        ],
        item: &[
            "den där podden om sömn",
            "dokumentären om bin",
            "den nya deckarserien",
            "den lilla bokhandeln vid hamnen",
            "vandringsleden längs ån",
            "den nya utställningen",
            "ljudboken om Alperna",
        ],
    },
};
